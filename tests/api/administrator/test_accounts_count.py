"""GET /api/administrator/accounts-count"""

from __future__ import annotations

from tests.api.administrator.test_accounts import EXPECTED, site  # noqa: F401 - the fixture

ROUTE = "administrator/accounts-count"


class TestReturns:
    def test_integer(self, call, site):  # noqa: F811
        assert call(ROUTE, "get", site["administrator"].ask()) == len(EXPECTED)

    def test_other_appids_are_not_counted(self, call, site):  # noqa: F811
        call(
            "user/create-account",
            "post",
            {"body": {"username": "another-tenant", "password": "a-password"}, "appid": "other"},
        )
        assert call(ROUTE, "get", site["administrator"].ask()) == len(EXPECTED)


class TestHttp:
    def test_bearer(self, client, site):  # noqa: F811
        response = client.get(
            "/api/administrator/accounts-count", headers=site["administrator"].bearer
        )
        assert (response.status_code, response.json) == (200, len(EXPECTED))
