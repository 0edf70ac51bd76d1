"""PATCH /api/user/set-session-ended"""

from __future__ import annotations

from dashboard import storage
from tests.conftest import User, sign_in

ROUTE = "user/set-session-ended"


def second_device(call, user) -> User:
    return User(
        user.username, user.password, user.account, sign_in(call, user.username, user.password)
    )


class TestExceptions:
    class TestInvalidSessionid:
        def test_missing_querystring_sessionid(self, error_of, user):
            assert error_of(ROUTE, "patch", user.ask()) == "invalid-sessionid"

        def test_invalid_querystring_sessionid(self, error_of, user):
            assert (
                error_of(ROUTE, "patch", user.ask({"sessionid": "invalid"})) == "invalid-sessionid"
            )

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, app, error_of, create_user):
            user, other = create_user(), create_user()
            assert (
                error_of(ROUTE, "patch", user.ask({"sessionid": other.session["sessionid"]}))
                == "invalid-account"
            )
            with app.app_context():
                assert storage.Session.get_by_id(other.session["sessionid"]).ended_at is None

    class TestInvalidSession:
        def test_session_already_ended(self, call, error_of, user):
            other = second_device(call, user)
            call(ROUTE, "patch", user.ask({"sessionid": other.session["sessionid"]}))
            assert (
                error_of(ROUTE, "patch", user.ask({"sessionid": other.session["sessionid"]}))
                == "invalid-session"
            )

        def test_session_expired(self, frozen_clock, call, error_of, user):
            frozen_clock.advance(minutes=21)
            assert (
                error_of(ROUTE, "patch", user.ask({"sessionid": user.session["sessionid"]}))
                == "invalid-session"
            )

        def test_session_ended_by_key_reset(self, call, error_of, user):
            call("user/reset-session-key", "patch", user.ask(user.own))
            assert (
                error_of(ROUTE, "patch", user.ask({"sessionid": user.session["sessionid"]}))
                == "invalid-session"
            )


class TestReceives:
    def test_required_querystring_sessionid(self, call, user):
        ended = call(ROUTE, "patch", user.ask({"sessionid": user.session["sessionid"]}))
        assert ended["sessionid"] == user.session["sessionid"]


class TestReturns:
    def test_object(self, frozen_clock, call, user):
        ended = call(ROUTE, "patch", user.ask({"sessionid": user.session["sessionid"]}))
        assert ended["object"] == "session"
        assert ended["endedAt"] == ended["ended"] == ended["updatedAt"]
        fetched = call("user/session", "get", user.ask({"sessionid": user.session["sessionid"]}))
        assert fetched["ended"] == ended["endedAt"]


class TestHttp:
    def test_ending_another_device_leaves_this_one_signed_in(self, client, call, user):
        other = second_device(call, user)
        response = client.patch(
            f"/api/user/set-session-ended?sessionid={other.session['sessionid']}",
            headers=user.bearer,
        )
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        account_url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(account_url, headers=other.bearer).status_code == 401
        assert client.get(account_url, headers=user.bearer).status_code == 200

    def test_ending_the_browsers_own_session_clears_its_cookies(self, client, user):
        signed_in = client.post(
            "/api/user/create-session", data={"username": user.username, "password": user.password}
        )
        session = signed_in.json
        set_cookies = {c.split("=", 1)[0]: c for c in signed_in.headers.getlist("Set-Cookie")}
        response = client.patch(
            f"/api/user/set-session-ended?sessionid={session['sessionid']}",
            headers={"X-CSRF-Token": session["csrfToken"]},
            base_url="https://localhost",
        )
        assert response.status_code == 200
        cleared = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
        assert set(cleared) == {"sessionid", "token"}
        for name, cookie in cleared.items():
            attributes = {part.strip() for part in cookie.split(";")[1:]}
            original = {part.strip() for part in set_cookies[name].split(";")[1:]}
            assert {a for a in attributes if not a.startswith(("Expires", "Max-Age"))} == {
                a for a in original if not a.startswith("Expires")
            }
            assert "Max-Age=0" in attributes
        follow = client.get(
            f"/api/user/account?accountid={user.account['accountid']}", base_url="https://localhost"
        )
        assert follow.status_code == 401

    def test_already_ended_is_400(self, client, call, user):
        other = second_device(call, user)
        url = f"/api/user/set-session-ended?sessionid={other.session['sessionid']}"
        client.patch(url, headers=user.bearer)
        response = client.patch(url, headers=user.bearer)
        assert (response.status_code, response.json["message"]) == (400, "invalid-session")

    def test_ineligible_accessing_account_is_403(self, client, create_user):
        user, other = create_user(), create_user()
        response = client.patch(
            f"/api/user/set-session-ended?sessionid={other.session['sessionid']}",
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (403, "invalid-account")

    def test_cookie_request_without_csrf_token_is_403(self, client, user):
        client.set_cookie("sessionid", user.session["sessionid"])
        client.set_cookie("token", user.session["token"])
        response = client.patch(
            f"/api/user/set-session-ended?sessionid={user.session['sessionid']}"
        )
        assert (response.status_code, response.json["message"]) == (403, "invalid-csrf-token")
