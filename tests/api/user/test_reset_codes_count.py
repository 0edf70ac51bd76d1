"""GET /api/user/reset-codes-count"""

from __future__ import annotations

ROUTE = "user/reset-codes-count"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({"accountid": "x"})) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "get", user.ask(other.own)) == "invalid-account"


class TestReceives:
    def test_required_querystring_accountid(self, call, user):
        assert call(ROUTE, "get", user.ask(user.own)) == 0


class TestReturns:
    def test_integer_of_this_accounts_codes_only(self, call, create_user, create_code):
        user, other = create_user(), create_user()
        create_code(user)
        create_code(other)
        create_code(other)
        assert call(ROUTE, "get", user.ask(user.own)) == 1


class TestHttp:
    def test_bearer(self, client, user, create_code):
        create_code(user)
        response = client.get(
            f"/api/user/reset-codes-count?accountid={user.account['accountid']}",
            headers=user.bearer,
        )
        assert (response.status_code, response.json) == (200, 1)
