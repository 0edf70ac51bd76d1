"""The overview's charts: which figures they ask for, and how they draw them."""

from __future__ import annotations

from datetime import date

from dashboard.pages import charts


def test_the_last_30_days_and_12_months_across_a_new_year():
    days, months = charts.periods(date(2027, 1, 3))
    assert (days[0], days[-1], len(days)) == ("2026-12-05", "2027-01-03", 30)
    assert months == [f"2026-{month:02d}" for month in range(2, 13)] + ["2027-01"]


def test_one_query_asks_every_figure():
    asked = charts.keys(date(2026, 12, 5))
    assert len(asked) == len(charts.CHARTED) * (30 + 12)
    assert "sessions-created/2026-12-05" in asked and "accounts-deleted/2026-01" in asked


def test_bars_in_proportion_and_words_that_say_the_most():
    metrics = [
        {"name": "sessions-created", "dateKey": "2026-12-04", "value": 2},
        {"name": "sessions-created", "dateKey": "2026-12-05", "value": 4},
    ]
    by_day = charts.charts(date(2026, 12, 5), metrics)[0]
    assert by_day.title == "Sign-ins by day"
    assert [bar.value for bar in by_day.bars[-2:]] == [2, 4]
    assert by_day.bars[-1].height == 2 * by_day.bars[-2].height
    assert by_day.bars[-1].y == by_day.ceiling  # the highest reaches the top gridline
    assert by_day.description == "Sign-ins by day, 6 Nov to 5 Dec: 6 in all; the most, 4, on 5 Dec."


def test_nothing_counted_is_said_so_with_no_bar_drawn():
    by_month = charts.charts(date(2026, 12, 5), [])[1]
    assert by_month.description == "Sign-ins by month, Jan 2026 to Dec 2026: none."
    assert all(bar.height == 0 for bar in by_month.bars)
