"""PATCH /api/user/set-session-verified"""

from __future__ import annotations

from tests.conftest import User, sign_in

ROUTE = "user/set-session-verified"


def verify(user, sessionid=None, **body):
    body = {"username": user.username, "password": user.password, **body}
    return user.ask({"sessionid": sessionid or user.session["sessionid"]}, **body)


class TestExceptions:
    class TestInvalidSessionid:
        def test_missing_querystring_sessionid(self, error_of, user):
            assert (
                error_of(ROUTE, "patch", user.ask(username=user.username, password=user.password))
                == "invalid-sessionid"
            )

        def test_invalid_querystring_sessionid(self, error_of, user):
            assert (
                error_of(ROUTE, "patch", verify(user, "sess_0000000000000000"))
                == "invalid-sessionid"
            )

    class TestInvalidAccount:
        def test_session_of_another_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert (
                error_of(ROUTE, "patch", verify(user, other.session["sessionid"]))
                == "invalid-account"
            )

    class TestInvalidSession:
        def test_not_the_callers_current_session(self, call, error_of, user):
            other = sign_in(call, user.username, user.password)
            assert error_of(ROUTE, "patch", verify(user, other["sessionid"])) == "invalid-session"

    class TestInvalidUsername:
        def test_missing_posted_username(self, error_of, user):
            assert error_of(ROUTE, "patch", verify(user, username="")) == "invalid-username"

        def test_username_of_another_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert (
                error_of(ROUTE, "patch", verify(user, username=other.username))
                == "invalid-username"
            )

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of, user):
            assert error_of(ROUTE, "patch", verify(user, password="")) == "invalid-password"

        def test_wrong_posted_password(self, error_of, user):
            assert (
                error_of(ROUTE, "patch", verify(user, password="wrong-password"))
                == "invalid-password"
            )


class TestReceives:
    def test_required_posted_username_and_password(self, call, user):
        assert call(ROUTE, "patch", verify(user))["sessionid"] == user.session["sessionid"]


class TestReturns:
    def test_last_verified_at_moves_to_now(self, frozen_clock, call, user):
        frozen_clock.advance(minutes=5)
        verified = call(ROUTE, "patch", verify(user))
        assert verified["lastVerifiedAt"] == verified["updatedAt"] != user.session["lastVerifiedAt"]
        fetched = call("user/session", "get", user.ask({"sessionid": user.session["sessionid"]}))
        assert fetched["lastVerifiedAt"] == verified["lastVerifiedAt"]

    def test_failure_changes_nothing(self, frozen_clock, call, error_of, user):
        frozen_clock.advance(minutes=5)
        error_of(ROUTE, "patch", verify(user, password="wrong-password"))
        fetched = call("user/session", "get", user.ask({"sessionid": user.session["sessionid"]}))
        assert fetched["lastVerifiedAt"] == user.session["lastVerifiedAt"]


class TestHttp:
    def test_json(self, client, user):
        response = client.patch(
            f"/api/user/set-session-verified?sessionid={user.session['sessionid']}",
            json={"username": user.username, "password": user.password},
            headers=user.bearer,
        )
        assert response.status_code == 200
        assert response.json["object"] == "session"

    def test_another_devices_session_is_400(self, client, call, user):
        other = User(
            user.username, user.password, user.account, sign_in(call, user.username, user.password)
        )
        response = client.patch(
            f"/api/user/set-session-verified?sessionid={other.session['sessionid']}",
            json={"username": user.username, "password": user.password},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-session")

    def test_wrong_password_is_400(self, client, user):
        response = client.patch(
            f"/api/user/set-session-verified?sessionid={user.session['sessionid']}",
            data={"username": user.username, "password": "wrong-password"},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-password")
