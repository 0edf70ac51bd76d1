"""GET /api/administrator/audit-count"""

from __future__ import annotations

from tests.api.administrator.test_audit import written

ROUTE = "administrator/audit-count"


class TestExceptions:
    class TestInvalidAccountid:
        def test_invalid_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "x"})
            assert error_of(ROUTE, "get", req) == "invalid-accountid"


class TestReceives:
    def test_optional_querystring_accountid(self, call, administrator, frozen_clock, create_user):
        first, second = create_user(), create_user()
        written(call, administrator, frozen_clock, first, second, first)
        assert call(ROUTE, "get", administrator.ask(first.own)) == 2


class TestReturns:
    def test_integer_of_the_site(self, call, administrator, frozen_clock, create_user):
        written(call, administrator, frozen_clock, create_user(), create_user())
        assert call(ROUTE, "get", administrator.ask()) == 2

    def test_none_before_any_write(self, call, administrator):
        assert call(ROUTE, "get", administrator.ask()) == 0


class TestHttp:
    def test_integer(self, client, call, administrator, frozen_clock, user):
        written(call, administrator, frozen_clock, user)
        response = client.get(f"/api/{ROUTE}", headers=administrator.bearer)
        assert (response.status_code, response.json) == (200, 1)
