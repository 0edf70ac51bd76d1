"""PATCH /api/user/set-account-password"""

from __future__ import annotations

import pytest

from dashboard import storage
from tests.conftest import User, sign_in

ROUTE = "user/set-account-password"
NEW = "a-brand-new-password"


def change(user, **body):
    return user.ask(user.own, **{"new_password": NEW, "password": user.password, **body})


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert (
                error_of(ROUTE, "patch", user.ask(new_password=NEW, password=user.password))
                == "invalid-accountid"
            )

        def test_invalid_querystring_accountid(self, error_of, user):
            req = user.ask({"accountid": "invalid"}, new_password=NEW, password=user.password)
            assert error_of(ROUTE, "patch", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            req = user.ask(other.own, new_password=NEW, password=user.password)
            assert error_of(ROUTE, "patch", req) == "invalid-account"

    class TestInvalidNewPassword:
        def test_missing_posted_new_password(self, error_of, user):
            assert error_of(ROUTE, "patch", change(user, new_password="")) == "invalid-new-password"

    class TestInvalidNewPasswordLength:
        @pytest.mark.parametrize("new_password", ["short", "x" * 129])
        def test_posted_new_password_too_short_or_long(self, error_of, user, new_password):
            assert (
                error_of(ROUTE, "patch", change(user, new_password=new_password))
                == "invalid-new-password-length"
            )

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of, user):
            assert error_of(ROUTE, "patch", change(user, password="")) == "invalid-password"

        def test_wrong_posted_password(self, app, error_of, user):
            assert (
                error_of(ROUTE, "patch", change(user, password="wrong-password"))
                == "invalid-password"
            )
            with app.app_context():
                row = storage.Account.get_by_id(user.account["accountid"])
            assert row.password_last_changed_at is None and row.session_key_number == 1


class TestReceives:
    def test_required_posted_new_password_and_password(self, call, error_of, user):
        call(ROUTE, "patch", change(user))
        assert sign_in(call, user.username, NEW)["object"] == "session"
        assert (
            error_of(
                "user/create-session",
                "post",
                {"body": {"username": user.username, "password": user.password}},
            )
            == "invalid-password"
        )


class TestReturns:
    def test_object(self, frozen_clock, call, user):
        account = call(ROUTE, "patch", change(user))
        assert account["object"] == "account"
        assert account["passwordLastChangedAt"] == account["updatedAt"]
        assert account["sessionKeyNumber"] == 2
        assert "passwordHash" not in account

    def test_other_sessions_end_and_the_callers_stays(self, call, client, user):
        other = User(
            user.username, user.password, user.account, sign_in(call, user.username, user.password)
        )
        call(ROUTE, "patch", change(user))
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 200
        assert client.get(url, headers=other.bearer).status_code == 401

    def test_from_python_without_a_session_every_session_ends(self, call, client, user):
        req = change(user)
        del req["session"]
        call(ROUTE, "patch", req)
        assert (
            client.get(
                f"/api/user/account?accountid={user.account['accountid']}", headers=user.bearer
            ).status_code
            == 401
        )


class TestHttp:
    def test_json(self, client, user):
        response = client.patch(
            f"/api/user/set-account-password?accountid={user.account['accountid']}",
            json={"new-password": NEW, "password": user.password},
            headers=user.bearer,
        )
        assert response.status_code == 200
        assert response.json["sessionKeyNumber"] == 2

    def test_wrong_password_is_400(self, client, user):
        response = client.patch(
            f"/api/user/set-account-password?accountid={user.account['accountid']}",
            json={"new-password": NEW, "password": "wrong-password"},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-password")

    def test_ineligible_accessing_account_is_403(self, client, create_user):
        user, other = create_user(), create_user()
        response = client.patch(
            f"/api/user/set-account-password?accountid={other.account['accountid']}",
            json={"new-password": NEW, "password": user.password},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (403, "invalid-account")
