"""Authentication of a request: bearer, cookies, application server; validity; CSRF."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from dashboard import create_app, storage

SERVER_TOKEN = "a" * 40


def account_url(user) -> str:
    return f"/api/user/account?accountid={user.account['accountid']}"


def reset_url(user) -> str:
    return f"/api/user/reset-session-key?accountid={user.account['accountid']}"


def cookie_client(client, user):
    client.set_cookie("sessionid", user.session["sessionid"])
    client.set_cookie("token", user.session["token"])
    return client


class TestBearer:
    def test_valid_session_authenticates(self, client, user):
        assert client.get(account_url(user), headers=user.bearer).status_code == 200

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer sess_0000000000000000.{token}",
            "Bearer {sessionid}.{token}x",
            "Bearer {sessionid}.",
            "Bearer {sessionid}",
            "Basic {sessionid}.{token}",
            "Bearer",
        ],
    )
    def test_wrong_credentials_are_401(self, client, user, header):
        value = header.format(**user.session)
        response = client.get(account_url(user), headers={"Authorization": value})
        assert response.status_code == 401
        assert response.json == {"object": "auth", "message": "Sign in required"}

    def test_token_of_another_session_is_refused(self, client, create_user):
        user, other = create_user(), create_user()
        mixed = f"Bearer {user.session['sessionid']}.{other.session['token']}"
        assert client.get(account_url(user), headers={"Authorization": mixed}).status_code == 401

    def test_token_in_query_string_does_not_authenticate(self, client, user):
        session = user.session
        url = f"{account_url(user)}&sessionid={session['sessionid']}&token={session['token']}"
        assert client.get(url).status_code == 401


class TestValidity:
    def test_expired_session_is_refused(self, client, user, frozen_clock):
        frozen_clock.advance(minutes=19, seconds=59)
        assert client.get(account_url(user), headers=user.bearer).status_code == 200
        frozen_clock.advance(seconds=1)
        assert client.get(account_url(user), headers=user.bearer).status_code == 401

    def test_session_from_before_a_key_reset_is_refused(self, client, user):
        assert client.patch(reset_url(user), headers=user.bearer).status_code == 200
        assert client.get(account_url(user), headers=user.bearer).status_code == 401

    def test_stale_key_number_alone_is_refused(self, app, client, user):
        with app.app_context():
            storage.Account.update(
                session_key_number=storage.Account.session_key_number + 1
            ).execute()
        assert client.get(account_url(user), headers=user.bearer).status_code == 401

    def test_changed_session_key_alone_is_refused(self, app, client, user):
        with app.app_context():
            storage.Account.update(session_key="f" * 64).execute()
        assert client.get(account_url(user), headers=user.bearer).status_code == 401

    def test_ended_session_is_refused(self, app, client, user, frozen_clock):
        with app.app_context():
            storage.Session.update(ended_at=frozen_clock()).execute()
        assert client.get(account_url(user), headers=user.bearer).status_code == 401

    def test_account_scheduled_for_deletion_is_refused(self, app, client, user, frozen_clock):
        with app.app_context():
            storage.Account.update(deleted_at=frozen_clock()).execute()
        assert client.get(account_url(user), headers=user.bearer).status_code == 401

    def test_session_of_another_appid_is_refused(self, config, tmp_path, user):
        other = create_app(replace(config, appid="other"), instance_path=str(tmp_path / "other"))
        assert other.test_client().get(account_url(user), headers=user.bearer).status_code == 401


class TestCookies:
    def test_cookies_authenticate_a_get(self, client, user):
        assert cookie_client(client, user).get(account_url(user)).status_code == 200

    def test_unsafe_method_without_csrf_token_is_403(self, app, client, user):
        response = cookie_client(client, user).patch(reset_url(user))
        assert response.status_code == 403
        assert response.json == {"object": "error", "message": "invalid-csrf-token"}
        with app.app_context():
            assert storage.Account.get_by_id(user.account["accountid"]).session_key_number == 1

    def test_unsafe_method_with_wrong_csrf_token_is_403(self, client, user):
        response = cookie_client(client, user).patch(
            reset_url(user), headers={"X-CSRF-Token": "x" * 64}
        )
        assert response.status_code == 403

    def test_unsafe_method_with_csrf_token_passes(self, client, user):
        headers = {"X-CSRF-Token": user.session["csrfToken"]}
        assert (
            cookie_client(client, user).patch(reset_url(user), headers=headers).status_code == 200
        )

    def test_bearer_needs_no_csrf_token(self, client, user):
        assert client.patch(reset_url(user), headers=user.bearer).status_code == 200

    def test_public_routes_ignore_cookies_and_csrf(self, client, user):
        response = cookie_client(client, user).post(
            "/api/user/create-session", json={"username": user.username, "password": user.password}
        )
        assert response.status_code == 200

    def test_browser_sign_in_then_read(self, client, user):
        signed_in = client.post(
            "/api/user/create-session", data={"username": user.username, "password": user.password}
        )
        assert signed_in.status_code == 200
        # the test client keeps the Secure cookies it was given over http://localhost
        response = client.get(account_url(user), base_url="https://localhost")
        assert response.status_code == 200


class TestApplicationServer:
    @pytest.fixture
    def server(self, make_app):
        return make_app(application_server_token=SERVER_TOKEN).test_client()

    def headers(self, user, token=SERVER_TOKEN, accountid=None):
        return {
            "X-Application-Server-Token": token,
            "X-Accountid": accountid or user.account["accountid"],
            "X-Sessionid": user.session["sessionid"],
        }

    def test_valid_server_token_authenticates(self, server, user):
        assert server.get(account_url(user), headers=self.headers(user)).status_code == 200

    def test_needs_no_csrf_token(self, server, user):
        assert server.patch(reset_url(user), headers=self.headers(user)).status_code == 200

    def test_wrong_server_token_is_401(self, server, user):
        headers = self.headers(user, token="b" * 40)
        assert server.get(account_url(user), headers=headers).status_code == 401

    def test_session_of_another_account_is_401(self, server, create_user):
        user, other = create_user(), create_user()
        headers = self.headers(user, accountid=other.account["accountid"])
        assert server.get(account_url(user), headers=headers).status_code == 401

    def test_ended_session_is_401(self, server, user):
        server.patch(reset_url(user), headers=self.headers(user))
        assert server.get(account_url(user), headers=self.headers(user)).status_code == 401

    def test_off_when_not_configured(self, client, user):
        assert client.get(account_url(user), headers=self.headers(user)).status_code == 401


class TestRequestRows:
    @staticmethod
    def inbound(headers: dict[str, str]) -> Any:
        from werkzeug.datastructures import Headers

        return SimpleNamespace(
            method="GET",
            query_string=b"",
            headers=Headers(headers),
            cookies={},
            host="localhost",
            remote_addr="127.0.0.1",
        )

    def test_only_proven_rows_are_kept_for_the_request(self, app, user):
        from flask import g

        from dashboard import dispatch, reference
        from dashboard.errors import AuthRequired

        state = app.extensions["dashboard"]
        route = next(r for r in reference.routes() if r.name == "user/account")
        wrong = {"Authorization": f"Bearer {user.session['sessionid']}.{'f' * 64}"}
        with app.app_context():
            with pytest.raises(AuthRequired):
                dispatch.signed_in(route, self.inbound(wrong), state)
            assert not g.get("dashboard_rows")
        with app.app_context():
            account, session, _ = dispatch.signed_in(route, self.inbound(user.bearer), state)
            assert (account["accountid"], session["sessionid"]) == (
                user.account["accountid"],
                user.session["sessionid"],
            )
            assert set(g.dashboard_rows) == {
                f"dashboard/{user.session['sessionid']}",
                f"dashboard/{user.account['accountid']}",
            }
            assert not {"token_hash", "session_key"} & {
                name for row in g.dashboard_rows.values() for name in row
            }


class TestMalformedIds:
    """Ids have one shape; anything else names nothing and never reaches the database
    (PostgreSQL refuses a NUL byte in text: that was a 500)."""

    MALFORMED = ["\x00", "a\x00b", "sess_\x00123456789abcdef", "acct_0123456789ABCDEF", "x" * 300]

    @pytest.mark.parametrize("sessionid", MALFORMED)
    def test_credentials_with_a_malformed_sessionid_are_401(self, make_app, user, sessionid):
        client = make_app(application_server_token=SERVER_TOKEN).test_client()
        for headers in (
            {"Authorization": f"Bearer {sessionid}.{user.session['token']}"},
            {"Cookie": f'sessionid="{sessionid.replace(chr(0), chr(92) + "000")}"; token=abc'},
            {
                "X-Application-Server-Token": SERVER_TOKEN,
                "X-Accountid": user.account["accountid"],
                "X-Sessionid": sessionid,
            },
        ):
            response = client.get(account_url(user), headers=headers)
            assert response.status_code == 401, headers

    @pytest.mark.parametrize("value", ["%00", "a%00b", "acct_%00", "acct_0123456789abcde%00"])
    @pytest.mark.parametrize(
        ("method", "route", "name", "code"),
        [
            ("get", "account", "accountid", "invalid-accountid"),
            ("get", "sessions", "accountid", "invalid-accountid"),
            ("get", "sessions-count", "accountid", "invalid-accountid"),
            ("patch", "reset-session-key", "accountid", "invalid-accountid"),
            ("get", "session", "sessionid", "invalid-sessionid"),
            ("patch", "set-session-ended", "sessionid", "invalid-sessionid"),
        ],
    )
    def test_malformed_ids_in_the_query_are_unknown(
        self, client, user, value, method, route, name, code
    ):
        url = f"/api/user/{route}?{name}={value}"
        signed_in = getattr(client, method)(url, headers=user.bearer)
        assert (signed_in.status_code, signed_in.json["message"]) == (400, code)
        assert getattr(client, method)(url).status_code == 401
