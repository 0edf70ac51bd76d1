"""GET /api/user/sessions-count"""

from __future__ import annotations

from tests.conftest import sign_in

ROUTE = "user/sessions-count"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({"accountid": "invalid"})) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "get", user.ask(other.own)) == "invalid-account"

    class TestInvalidActive:
        def test_querystring_active_not_true_or_false(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({**user.own, "active": "1"})) == "invalid-active"


class TestReceives:
    def test_required_querystring_accountid(self, call, user):
        assert call(ROUTE, "get", user.ask(user.own)) == 1

    def test_optional_querystring_active(self, client, call, user):
        other = sign_in(call, user.username, user.password)
        call("user/set-session-ended", "patch", user.ask({"sessionid": other["sessionid"]}))
        sign_in(call, user.username, user.password)
        assert call(ROUTE, "get", user.ask({**user.own, "active": "true"})) == 2
        assert call(ROUTE, "get", user.ask(user.own)) == 3
        reset = f"/api/user/reset-session-key?accountid={user.account['accountid']}"
        assert client.patch(reset, headers=user.bearer).status_code == 200
        assert call(ROUTE, "get", user.ask({**user.own, "active": "true"})) == 0
        url = f"/api/user/sessions-count?accountid={user.account['accountid']}&active=true"
        fresh = sign_in(call, user.username, user.password)
        bearer = {"Authorization": f"Bearer {fresh['sessionid']}.{fresh['token']}"}
        assert client.get(url, headers=bearer).json == 1


class TestReturns:
    def test_integer_counts_every_session_ended_or_not(self, call, create_user):
        user, other = create_user(), create_user()
        second = sign_in(call, user.username, user.password)
        call("user/set-session-ended", "patch", user.ask({"sessionid": second["sessionid"]}))
        sign_in(call, other.username, other.password)
        assert call(ROUTE, "get", user.ask(user.own)) == 2


class TestHttp:
    def test_bearer(self, client, user):
        response = client.get(
            f"/api/user/sessions-count?accountid={user.account['accountid']}", headers=user.bearer
        )
        assert (response.status_code, response.json) == (200, 1)

    def test_ineligible_accessing_account_is_403(self, client, create_user):
        user, other = create_user(), create_user()
        response = client.get(
            f"/api/user/sessions-count?accountid={other.account['accountid']}", headers=user.bearer
        )
        assert (response.status_code, response.json["message"]) == (403, "invalid-account")

    def test_missing_querystring_accountid(self, client, user):
        response = client.get("/api/user/sessions-count", headers=user.bearer)
        assert (response.status_code, response.json["message"]) == (400, "invalid-accountid")
