"""GET /api/administrator/reset-codes-count"""

from __future__ import annotations

from tests.api.administrator.test_reset_codes import made  # noqa: F401 - the fixture

ROUTE = "administrator/reset-codes-count"


class TestExceptions:
    class TestInvalidAccountid:
        def test_unknown_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "get", req) == "invalid-accountid"


class TestReceives:
    def test_optional_querystring_accountid(self, call, administrator, made):  # noqa: F811
        _, first = made
        assert call(ROUTE, "get", administrator.ask(first.own)) == 1


class TestReturns:
    def test_integer_of_the_site(self, call, administrator, made):  # noqa: F811
        assert call(ROUTE, "get", administrator.ask()) >= 2


class TestHttp:
    def test_bearer(self, client, administrator, made):  # noqa: F811
        _, first = made
        response = client.get(
            f"/api/administrator/reset-codes-count?accountid={first.account['accountid']}",
            headers=administrator.bearer,
        )
        assert (response.status_code, response.json) == (200, 1)
