"""POST /api/user/create-session"""

from __future__ import annotations

import functools
import math
from datetime import datetime

import pytest

from dashboard import security, storage
from dashboard.errors import ApiError
from tests.conftest import call_route, sign_in

ROUTE = "user/create-session"
ROUTE_URL = "/api/user/create-session"


def parse(iso: str) -> datetime:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ")


def seconds_left(session: dict, now: datetime) -> float:
    return (parse(session["expiresAt"]) - now).total_seconds()


class TestExceptions:
    class TestInvalidUsername:
        def test_missing_posted_username(self, error_of):
            body = {"username": "", "password": "password"}
            assert error_of(ROUTE, "post", {"body": body}) == "invalid-username"

        def test_missing_body(self, error_of):
            assert error_of(ROUTE, "post", {}) == "invalid-username"

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of):
            body = {"username": "username", "password": ""}
            assert error_of(ROUTE, "post", {"body": body}) == "invalid-password"

        def test_unknown_username(self, error_of):
            body = {"username": "nobody-at-all", "password": "password"}
            assert error_of(ROUTE, "post", {"body": body}) == "invalid-password"

        def test_wrong_password(self, error_of, user):
            body = {"username": user.username, "password": user.password + "x"}
            assert error_of(ROUTE, "post", {"body": body}) == "invalid-password"

        def test_username_of_another_appid(self, error_of, user):
            body = {"username": user.username, "password": user.password}
            assert error_of(ROUTE, "post", {"body": body, "appid": "other"}) == "invalid-password"

    class TestInvalidAccount:
        def test_account_scheduled_for_deletion(self, app, error_of, user, frozen_clock):
            with app.app_context():
                storage.Account.update(deleted_at=frozen_clock()).execute()
            body = {"username": user.username, "password": user.password}
            assert error_of(ROUTE, "post", {"body": body}) == "invalid-account"

    class TestInvalidRemember:
        @pytest.mark.parametrize("remember", ["weeks", "Hours", "true"])
        def test_unknown_posted_remember(self, error_of, user, remember):
            body = {"username": user.username, "password": user.password, "remember": remember}
            assert error_of(ROUTE, "post", {"body": body}) == "invalid-remember"

    class TestInvalidCookieOnly:
        def test_posted_cookie_only_not_true_or_false(self, error_of, user):
            body = {"username": user.username, "password": user.password, "cookie-only": "yes"}
            assert error_of(ROUTE, "post", {"body": body}) == "invalid-cookie-only"


class TestReceives:
    def test_optional_posted_remember_hours(self, call, user, frozen_clock):
        session = sign_in(call, user.username, user.password, remember="hours")
        assert math.ceil(seconds_left(session, frozen_clock()) / 3600) == 8
        assert session["duration"] == 8 * 3600

    def test_optional_posted_remember_days(self, call, user, frozen_clock):
        session = sign_in(call, user.username, user.password, remember="days")
        assert math.ceil(seconds_left(session, frozen_clock()) / 86400) == 30
        assert session["duration"] == 30 * 86400

    def test_no_remember_is_twenty_minutes(self, call, user, frozen_clock):
        for remember in ({}, {"remember": ""}):
            session = sign_in(call, user.username, user.password, **remember)
            assert seconds_left(session, frozen_clock()) == 20 * 60

    def test_optional_appid(self, call):
        body = {"username": "tenant-user", "password": "tenant-password"}
        call("user/create-account", "post", {"body": body, "appid": "tenant"})
        session = call(ROUTE, "post", {"body": body, "appid": "tenant"})
        assert session["appid"] == "tenant"


class TestReturns:
    def test_object(self, call, user, frozen_clock):
        session = sign_in(call, user.username, user.password)
        assert math.ceil(seconds_left(session, frozen_clock()) / 60) == 20
        assert session["object"] == "session"
        assert session["sessionid"].startswith("sess_") and len(session["sessionid"]) == 21
        assert session["accountid"] == user.account["accountid"]
        assert session["duration"] == 1200
        assert session["ended"] is False
        assert session["sessionKeyNumber"] == 1
        assert len(session["csrfToken"]) == 64
        assert session["lastVerifiedAt"] == session["createdAt"]

    def test_token_is_returned_once_and_never_stored(self, app, call, user):
        session = sign_in(call, user.username, user.password)
        assert len(session["token"]) == 64
        with app.app_context():
            row = storage.Session.get_by_id(session["sessionid"])
        assert session["token"] not in row.token_hash
        assert "tokenHash" not in session and "token_hash" not in session
        query = {"sessionid": session["sessionid"]}
        assert "token" not in call("user/session", "get", {"query": query, **user.req})

    def test_new_token_every_sign_in(self, call, user):
        first = sign_in(call, user.username, user.password)
        second = sign_in(call, user.username, user.password)
        assert first["token"] != second["token"]
        assert first["sessionid"] != second["sessionid"]

    def test_sets_last_signed_in_at(self, call, user):
        session = sign_in(call, user.username, user.password)
        account = call(
            "user/account", "get", {"query": {"accountid": user.account["accountid"]}, **user.req}
        )
        assert account["lastSignedInAt"] == session["createdAt"]


class TestSecurity:
    def test_unknown_username_and_wrong_password_look_the_same(self, client, user, bcrypt_calls):
        unknown = client.post(ROUTE_URL, json={"username": "no-such-user", "password": "password"})
        assert bcrypt_calls == ["checkpw"]
        wrong = client.post(
            ROUTE_URL, json={"username": user.username, "password": "wrong-password"}
        )
        assert bcrypt_calls == ["checkpw", "checkpw"]
        assert unknown.status_code == wrong.status_code == 400
        assert unknown.get_data() == wrong.get_data()
        assert unknown.json == {
            "object": "error",
            "message": "invalid-password",
            "field": "password",
        }

    def test_dummy_hash_has_the_configured_cost(self, config):
        assert (
            security.password_cost(security.dummy_password_hash(config.bcrypt_workload_factor)) == 4
        )
        assert security.password_cost(security.dummy_password_hash(5)) == 5

    def test_lower_cost_hash_is_rehashed_after_good_sign_in(self, call, user, make_app):
        stronger = make_app(bcrypt_workload_factor=5)
        sign_in(functools.partial(call_route, stronger), user.username, user.password)
        assert stored_cost(stronger, user) == 5
        assert sign_in(call, user.username, user.password)["object"] == "session"

    def test_hash_is_kept_after_failed_sign_in(self, user, make_app):
        stronger = make_app(bcrypt_workload_factor=5)
        body = {"username": user.username, "password": "wrong-password"}
        with pytest.raises(ApiError):
            call_route(stronger, ROUTE, "post", {"body": body})
        assert stored_cost(stronger, user) == 4

    def test_long_non_ascii_password_counts_every_character(self, call, error_of):
        password = "пароль-密码-🔑" * 8 + "ü" * 12  # 100 characters, far over 72 bytes
        assert len(password) == 100
        call(
            "user/create-account",
            "post",
            {"body": {"username": "long-password", "password": password}},
        )
        assert sign_in(call, "long-password", password)["object"] == "session"
        first_72_bytes = password.encode()[:72].decode(errors="ignore")
        body = {"username": "long-password", "password": first_72_bytes}
        assert error_of(ROUTE, "post", {"body": body}) == "invalid-password"

    def test_password_holding_nul_is_refused_at_registration(self, error_of):
        # RFC 8265's OpaqueString refuses control characters; the pre-hash means a NUL
        # would never truncate one (accounts made before keep theirs: test_legacy).
        body = {"username": "nul-password", "password": "before\x00after-nul"}
        assert error_of("user/create-account", "post", {"body": body}) == "invalid-password"


def stored_cost(app, user) -> int:
    with app.app_context():
        return security.password_cost(
            storage.Account.get_by_id(user.account["accountid"]).password_hash
        )


class TestHttp:
    def test_form_post_sets_cookies(self, client, user):
        response = client.post(
            ROUTE_URL, data={"username": user.username, "password": user.password}
        )
        assert response.status_code == 200
        cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
        assert set(cookies) == {"sessionid", "token"}
        assert cookies["sessionid"].startswith(f"sessionid={response.json['sessionid']};")
        assert cookies["token"].startswith(f"token={response.json['token']};")
        for cookie in cookies.values():
            attributes = [part.strip() for part in cookie.split(";")]
            assert "HttpOnly" in attributes
            assert "SameSite=Strict" in attributes
            assert "Secure" in attributes
            assert "Path=/" in attributes
            assert any(part.startswith("Expires=") for part in attributes)

    def test_cookies_without_secure_when_configured_off(self, make_app, user):
        client = make_app(session_cookie_secure=False).test_client()
        response = client.post(
            ROUTE_URL, data={"username": user.username, "password": user.password}
        )
        for cookie in response.headers.getlist("Set-Cookie"):
            assert "Secure" not in cookie
            assert "HttpOnly" in cookie

    def test_multipart_post(self, client, user):
        data = {"username": user.username, "password": user.password, "remember": "days"}
        response = client.post(ROUTE_URL, data=data, content_type="multipart/form-data")
        assert response.status_code == 200
        assert response.json["duration"] == 30 * 86400

    def test_json_post(self, client, user):
        response = client.post(
            ROUTE_URL, json={"username": user.username, "password": user.password}
        )
        assert response.status_code == 200
        assert response.json["object"] == "session"

    def test_missing_posted_username(self, client):
        response = client.post(ROUTE_URL, data={"password": "password"})
        assert response.status_code == 400
        assert response.json == {
            "object": "error",
            "message": "invalid-username",
            "field": "username",
        }

    def test_missing_posted_password(self, client):
        response = client.post(ROUTE_URL, json={"username": "username", "password": None})
        assert response.status_code == 400
        assert response.json == {
            "object": "error",
            "message": "invalid-password",
            "field": "password",
        }

    def test_deleted_account_is_403(self, app, client, user):
        with app.app_context():
            storage.Account.update(deleted_at=datetime(2030, 1, 1)).execute()
        response = client.post(
            ROUTE_URL, json={"username": user.username, "password": user.password}
        )
        assert response.status_code == 403
        assert response.json == {"object": "error", "message": "invalid-account"}

    def test_records_address_and_user_agent(self, client, user):
        response = client.post(
            ROUTE_URL,
            json={"username": user.username, "password": user.password},
            headers={"User-Agent": "test-browser/1.0"},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        )
        assert response.json["ipAddress"] == "203.0.113.7"
        assert response.json["userAgent"] == "test-browser/1.0"

    def test_same_object_as_from_python(self, client, call, user):
        body = {"username": user.username, "password": user.password}
        over_http = client.post(ROUTE_URL, json=body).json
        # the HTTP layer adds the client's address and user agent to req; so can a caller
        from_python = call(ROUTE, "post", {"body": body, "ip": "127.0.0.1", "userAgent": "agent"})
        assert list(over_http) == list(from_python)
        assert over_http["accountid"] == from_python["accountid"]

    def test_only_post(self, client):
        response = client.get(ROUTE_URL)
        assert response.status_code == 405
        assert response.json == {"object": "error", "message": "invalid-method"}
