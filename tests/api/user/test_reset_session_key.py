"""PATCH /api/user/reset-session-key"""

from __future__ import annotations

from dashboard import storage
from tests.conftest import User, sign_in

ROUTE = "user/reset-session-key"


def reset(user) -> dict:
    return {**user.req, "query": {"accountid": user.account["accountid"]}}


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "patch", user.req) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            assert (
                error_of(ROUTE, "patch", {**user.req, "query": {"accountid": "invalid"}})
                == "invalid-accountid"
            )

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, app, error_of, create_user):
            user, user2 = create_user(), create_user()
            req = {**user.req, "query": {"accountid": user2.account["accountid"]}}
            assert error_of(ROUTE, "patch", req) == "invalid-account"
            with app.app_context():
                assert storage.Account.get_by_id(user2.account["accountid"]).session_key_number == 1


class TestReceives:
    def test_required_querystring_accountid(self, call, user):
        assert call(ROUTE, "patch", reset(user)) is True


class TestReturns:
    def test_boolean(self, call, user):
        assert call(ROUTE, "patch", reset(user)) is True

    def test_increments_session_key_number(self, call, user):
        call(ROUTE, "patch", reset(user))
        call(ROUTE, "patch", reset(user))
        account = call("user/account", "get", reset(user))
        assert account["sessionKeyNumber"] == 3
        assert "sessionKeyLastResetAt" in account

    def test_replaces_the_session_key(self, app, call, user):
        with app.app_context():
            before = storage.Account.get_by_id(user.account["accountid"]).session_key
        call(ROUTE, "patch", reset(user))
        with app.app_context():
            assert storage.Account.get_by_id(user.account["accountid"]).session_key != before

    def test_new_sessions_carry_the_new_number(self, call, user):
        call(ROUTE, "patch", reset(user))
        session = sign_in(call, user.username, user.password)
        assert session["sessionKeyNumber"] == 2
        assert session["ended"] is False


class TestHttp:
    def test_every_session_of_the_account_stops_at_once(self, client, create_user):
        user, other = create_user(), create_user()
        second = client.post(
            "/api/user/create-session", json={"username": user.username, "password": user.password}
        ).json
        second_device = User(user.username, user.password, user.account, second)
        url = f"/api/user/reset-session-key?accountid={user.account['accountid']}"
        response = client.patch(url, headers=user.bearer)
        assert response.status_code == 200
        assert response.json is True
        account_url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(account_url, headers=user.bearer).status_code == 401
        assert client.get(account_url, headers=second_device.bearer).status_code == 401
        other_url = f"/api/user/account?accountid={other.account['accountid']}"
        assert client.get(other_url, headers=other.bearer).status_code == 200

    def test_query_only_patch_needs_no_content_type(self, client, user):
        url = f"/api/user/reset-session-key?accountid={user.account['accountid']}"
        response = client.patch(url, headers=user.bearer)
        assert response.status_code == 200

    def test_missing_querystring_accountid(self, client, user):
        response = client.patch("/api/user/reset-session-key", headers=user.bearer)
        assert response.status_code == 400
        assert response.json == {
            "object": "error",
            "message": "invalid-accountid",
            "field": "accountid",
        }

    def test_invalid_querystring_accountid(self, client, user):
        response = client.patch(
            "/api/user/reset-session-key?accountid=invalid", headers=user.bearer
        )
        assert response.status_code == 400
        assert response.json == {
            "object": "error",
            "message": "invalid-accountid",
            "field": "accountid",
        }

    def test_ineligible_accessing_account_is_403(self, client, create_user):
        user, user2 = create_user(), create_user()
        response = client.patch(
            f"/api/user/reset-session-key?accountid={user2.account['accountid']}",
            headers=user.bearer,
        )
        assert response.status_code == 403
        assert (
            client.get(
                f"/api/user/account?accountid={user2.account['accountid']}", headers=user2.bearer
            ).status_code
            == 200
        )

    def test_signed_out_is_401(self, client, user):
        response = client.patch(
            f"/api/user/reset-session-key?accountid={user.account['accountid']}"
        )
        assert response.status_code == 401

    def test_only_patch(self, client, user):
        response = client.post(
            f"/api/user/reset-session-key?accountid={user.account['accountid']}",
            headers=user.bearer,
        )
        assert response.status_code == 405
