"""PATCH /api/user/set-account-deleted"""

from __future__ import annotations

from datetime import timedelta

from dashboard import clock
from tests.conftest import User, sign_in

ROUTE = "user/set-account-deleted"


def delete(user, **body):
    return user.ask(user.own, **{"password": user.password, **body})


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "patch", user.ask(password=user.password)) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            assert (
                error_of(ROUTE, "patch", user.ask({"accountid": "invalid"}, password=user.password))
                == "invalid-accountid"
            )

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, client, error_of, create_user):
            user, other = create_user(), create_user()
            assert (
                error_of(ROUTE, "patch", user.ask(other.own, password=user.password))
                == "invalid-account"
            )
            url = f"/api/user/account?accountid={other.account['accountid']}"
            assert client.get(url, headers=other.bearer).status_code == 200

        def test_the_owner_can_never_go(self, error_of, owner):
            req = owner.ask(owner.own, password=owner.password)
            assert error_of(ROUTE, "patch", req) == "invalid-account"

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of, user):
            assert error_of(ROUTE, "patch", delete(user, password="")) == "invalid-password"

        def test_wrong_posted_password(self, client, error_of, user):
            assert (
                error_of(ROUTE, "patch", delete(user, password="wrong-password"))
                == "invalid-password"
            )
            url = f"/api/user/account?accountid={user.account['accountid']}"
            assert client.get(url, headers=user.bearer).status_code == 200


class TestReceives:
    def test_required_posted_password(self, call, user):
        assert "deletedAt" in call(ROUTE, "patch", delete(user))


class TestReturns:
    def test_deleted_at_is_delete_delay_days_ahead(self, frozen_clock, call, user):
        account = call(ROUTE, "patch", delete(user))
        assert account["deletedAt"] == clock.iso(frozen_clock() + timedelta(days=7))

    def test_configured_delete_delay(self, frozen_clock, make_app, user):
        from tests.conftest import call_route

        account = call_route(make_app(delete_delay=30), ROUTE, "patch", delete(user))
        assert account["deletedAt"] == clock.iso(frozen_clock() + timedelta(days=30))

    def test_every_session_ends_with_a_new_key_number(self, call, user):
        other = User(
            user.username, user.password, user.account, sign_in(call, user.username, user.password)
        )
        account = call(ROUTE, "patch", delete(user))
        assert account["sessionKeyNumber"] == user.account["sessionKeyNumber"] + 1
        for session in (user.session, other.session):
            fetched = call("user/session", "get", user.ask({"sessionid": session["sessionid"]}))
            assert fetched["ended"] == account["sessionKeyLastResetAt"]

    def test_sessions_stay_ended_after_the_deletion_is_undone(self, client, call, user):
        call(ROUTE, "patch", delete(user))
        restored = call(
            "user/reset-account-deleted",
            "patch",
            {"body": {"username": user.username, "password": user.password}},
        )
        assert "deletedAt" not in restored
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 401


class TestHttp:
    def test_signs_every_device_out(self, client, call, user):
        other = User(
            user.username, user.password, user.account, sign_in(call, user.username, user.password)
        )
        response = client.patch(
            f"/api/user/set-account-deleted?accountid={user.account['accountid']}",
            json={"password": user.password},
            headers=user.bearer,
        )
        assert response.status_code == 200
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 401
        assert client.get(url, headers=other.bearer).status_code == 401
        signed_in = client.post(
            "/api/user/create-session", json={"username": user.username, "password": user.password}
        )
        assert (signed_in.status_code, signed_in.json["message"]) == (403, "invalid-account")

    def test_wrong_password_is_400(self, client, user):
        response = client.patch(
            f"/api/user/set-account-deleted?accountid={user.account['accountid']}",
            json={"password": "wrong-password"},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-password")
