"""GET /api/user/passkeys-count"""

from __future__ import annotations

ROUTE = "user/passkeys-count"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "get", user.ask(other.own)) == "invalid-account"


class TestReceives:
    def test_required_querystring_accountid(self, call, user):
        assert call(ROUTE, "get", user.ask(user.own)) == 0


class TestReturns:
    def test_count_of_its_own(self, call, create_user, add_passkey):
        user, other = create_user(), create_user()
        held = add_passkey(user)
        add_passkey(user, held)
        add_passkey(other)
        assert call(ROUTE, "get", user.ask(user.own)) == 2


class TestHttp:
    def test_bearer(self, client, user, add_passkey):
        add_passkey(user)
        response = client.get(
            f"/api/{ROUTE}?accountid={user.account['accountid']}", headers=user.bearer
        )
        assert (response.status_code, response.json) == (200, 1)
