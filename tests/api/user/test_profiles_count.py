"""GET /api/user/profiles-count"""

from __future__ import annotations

ROUTE = "user/profiles-count"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            req = user.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "get", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "get", user.ask(other.own)) == "invalid-account"


class TestReceives:
    def test_required_querystring_accountid(self, call, user):
        assert call(ROUTE, "get", user.ask(user.own)) == 0


class TestReturns:
    def test_integer_of_this_accounts_profiles_only(self, call, create_user, create_profile):
        user, other = create_user(), create_user()
        create_profile(user)
        create_profile(user)
        create_profile(other)
        assert call(ROUTE, "get", user.ask(user.own)) == 2


class TestHttp:
    def test_bearer(self, client, user, create_profile):
        create_profile(user)
        response = client.get(
            f"/api/user/profiles-count?accountid={user.account['accountid']}", headers=user.bearer
        )
        assert (response.status_code, response.json) == (200, 1)
