"""PATCH /api/user/set-account-username"""

from __future__ import annotations

import pytest

from tests.conftest import sign_in

ROUTE = "user/set-account-username"
NEW = "a-brand-new-username"


def change(user, **body):
    return user.ask(user.own, **{"new_username": NEW, "password": user.password, **body})


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert (
                error_of(ROUTE, "patch", user.ask(new_username=NEW, password=user.password))
                == "invalid-accountid"
            )

        def test_invalid_querystring_accountid(self, error_of, user):
            req = user.ask({"accountid": "invalid"}, new_username=NEW, password=user.password)
            assert error_of(ROUTE, "patch", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            req = user.ask(other.own, new_username=NEW, password=user.password)
            assert error_of(ROUTE, "patch", req) == "invalid-account"

    class TestInvalidNewUsername:
        def test_missing_posted_new_username(self, error_of, user):
            assert error_of(ROUTE, "patch", change(user, new_username="")) == "invalid-new-username"

    class TestInvalidNewUsernameLength:
        @pytest.mark.parametrize("new_username", ["short", "x" * 51])
        def test_posted_new_username_too_short_or_long(self, error_of, user, new_username):
            assert (
                error_of(ROUTE, "patch", change(user, new_username=new_username))
                == "invalid-new-username-length"
            )

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of, user):
            assert error_of(ROUTE, "patch", change(user, password="")) == "invalid-password"

        def test_wrong_posted_password(self, call, error_of, user):
            assert (
                error_of(ROUTE, "patch", change(user, password="wrong-password"))
                == "invalid-password"
            )
            assert sign_in(call, user.username, user.password)["object"] == "session"

    class TestDuplicateUsername:
        def test_username_taken_in_this_appid(self, call, error_of, create_user):
            user, other = create_user(), create_user()
            assert (
                error_of(ROUTE, "patch", change(user, new_username=other.username))
                == "duplicate-username"
            )
            assert sign_in(call, user.username, user.password)["object"] == "session"


class TestReceives:
    def test_required_posted_new_username(self, call, error_of, user):
        call(ROUTE, "patch", change(user))
        assert sign_in(call, NEW, user.password)["object"] == "session"
        old = {"body": {"username": user.username, "password": user.password}}
        assert error_of("user/create-session", "post", old) == "invalid-password"

    def test_same_username_again_is_allowed(self, call, user):
        assert call(ROUTE, "patch", change(user, new_username=user.username))["object"] == "account"


class TestReturns:
    def test_object(self, call, user):
        account = call(ROUTE, "patch", change(user))
        assert account["object"] == "account"
        assert account["usernameLastChangedAt"] == account["updatedAt"]
        assert "usernameHash" not in account and NEW not in str(account)

    def test_sessions_keep_working(self, call, client, user):
        call(ROUTE, "patch", change(user))
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 200


class TestHttp:
    def test_json(self, client, user):
        response = client.patch(
            f"/api/user/set-account-username?accountid={user.account['accountid']}",
            json={"new-username": NEW, "password": user.password},
            headers=user.bearer,
        )
        assert response.status_code == 200

    def test_duplicate_username_is_409(self, client, create_user):
        user, other = create_user(), create_user()
        response = client.patch(
            f"/api/user/set-account-username?accountid={user.account['accountid']}",
            json={"new-username": other.username, "password": user.password},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (409, "duplicate-username")

    def test_length_is_400(self, client, user):
        response = client.patch(
            f"/api/user/set-account-username?accountid={user.account['accountid']}",
            data={"new-username": "short", "password": user.password},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (
            400,
            "invalid-new-username-length",
        )
