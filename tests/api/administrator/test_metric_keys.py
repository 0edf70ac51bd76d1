"""GET /api/administrator/metric-keys"""

from __future__ import annotations

import pytest

from dashboard import clock

ROUTE = "administrator/metric-keys"


class TestExceptions:
    class TestInvalidKeys:
        def test_missing_querystring_keys(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask()) == "invalid-keys"

    class TestInvalidKey:
        @pytest.mark.parametrize(
            "keys",
            [
                "accounts-created",
                "accounts-created/2026-13",
                "accounts-created/2026-02-30",
                "accounts-created/26",
                "unknown-metric/total",
                "accounts-created/total,",
            ],
        )
        def test_malformed_or_unknown(self, error_of, administrator, keys):
            assert error_of(ROUTE, "get", administrator.ask({"keys": keys})) == "invalid-key"


class TestReceives:
    def test_keys_in_the_order_asked(self, call, administrator, frozen_clock):
        day = clock.now().strftime("%Y-%m-%d")
        keys = f"sessions-created/total,accounts-created/{day},passwords-reset/total"
        listed = call(ROUTE, "get", administrator.ask({"keys": keys}))
        assert [(m["name"], m["dateKey"]) for m in listed] == [
            ("sessions-created", "total"),
            ("accounts-created", day),
            ("passwords-reset", "total"),
        ]


class TestReturns:
    def test_counts_by_day_month_year_and_total(self, call, administrator, frozen_clock):
        now = clock.now()
        keys = ",".join(
            f"accounts-created/{date}"
            for date in (now.strftime("%Y-%m-%d"), now.strftime("%Y-%m"), now.year, "total")
        )
        listed = call(ROUTE, "get", administrator.ask({"keys": keys}))
        # the owner and the administrator were created today
        assert [metric["value"] for metric in listed] == [2, 2, 2, 2]
        assert listed[0] == {
            "object": "metric",
            "appid": "dashboard",
            "name": "accounts-created",
            "dateKey": now.strftime("%Y-%m-%d"),
            "value": 2,
        }

    def test_zero_where_nothing_was_counted(self, call, administrator):
        listed = call(ROUTE, "get", administrator.ask({"keys": "passwords-reset/1999"}))
        assert listed[0]["value"] == 0


class TestHttp:
    def test_bearer(self, client, administrator):
        response = client.get(
            "/api/administrator/metric-keys?keys=sessions-created/total",
            headers=administrator.bearer,
        )
        assert (response.status_code, response.json[0]["value"]) == (200, 2)
