"""The administrator's charts: the §9 metrics over the last 30 days and 12 months, drawn
on the server as SVG (no script), each with a title, a description and its figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# What the overview draws: metric name -> what people call it.
CHARTED = {
    "sessions-created": "Sign-ins",
    "accounts-created": "Registrations",
    "passwords-reset": "Password resets",
    "accounts-deleted": "Deletions",
}
DAYS = 30
MONTHS = 12
WIDTH, HEIGHT, TOP, BOTTOM = 600, 160, 24, 24  # the drawing's box, and its margins


@dataclass(frozen=True)
class Bar:
    label: str  # as a person reads it: 5 Dec, Dec 2026
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    slug: str  # unique on the page: the ids of its title and description
    title: str
    description: str
    bars: tuple[Bar, ...]
    top: int  # the value of the highest gridline
    width: int = WIDTH
    height: int = HEIGHT
    ceiling: int = TOP  # where the highest gridline is drawn
    baseline: int = HEIGHT - BOTTOM


def periods(today: date) -> tuple[list[str], list[str]]:
    """The date keys of the last DAYS days and the last MONTHS months, oldest first."""
    days = [(today - timedelta(days=back)).isoformat() for back in range(DAYS - 1, -1, -1)]
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return days, months[::-1]


def keys(today: date) -> list[str]:
    """The metric-keys query that gives every figure the charts need."""
    days, months = periods(today)
    return [f"{name}/{key}" for name in CHARTED for key in (*days, *months)]


def charts(today: date, metrics: list[dict[str, int | str]]) -> list[Chart]:
    """The charts of ``metrics`` (metric-keys' answer to ``keys(today)``): for each
    metric, by day, then by month."""
    values = {f"{m['name']}/{m['dateKey']}": int(m["value"]) for m in metrics}
    days, months = periods(today)
    drawn = []
    for name, title in CHARTED.items():
        for keyed, span, label, at in ((days, "day", _day, "on"), (months, "month", _month, "in")):
            figures = [(label(key), values.get(f"{name}/{key}", 0)) for key in keyed]
            drawn.append(_chart(f"{name}-{span}", f"{title} by {span}", figures, at))
    return drawn


def _chart(slug: str, title: str, figures: list[tuple[str, int]], at: str) -> Chart:
    highest = max(value for _, value in figures)
    top = max(1, highest)
    step = WIDTH / len(figures)
    room = HEIGHT - TOP - BOTTOM
    bars = []
    for index, (label, value) in enumerate(figures):
        height = room * value / top
        x, y = index * step + step * 0.15, HEIGHT - BOTTOM - height
        bars.append(
            Bar(label, value, round(x, 1), round(y, 1), round(step * 0.7, 1), round(height, 1))
        )
    total = sum(value for _, value in figures)
    first, last = figures[0][0], figures[-1][0]
    if highest:
        peak = next(label for label, value in figures if value == highest)
        said = f"{total} in all; the most, {highest}, {at} {peak}."
    else:
        said = "none."
    return Chart(slug, title, f"{title}, {first} to {last}: {said}", tuple(bars), top)


def _day(key: str) -> str:
    moment = date.fromisoformat(key)
    return f"{moment.day} {moment:%b}"


def _month(key: str) -> str:
    moment = date.fromisoformat(f"{key}-01")
    return f"{moment:%b %Y}"
