"""Browsers: another site cannot sign a browser in or use its cookies, single-page apps on
ALLOWED_ORIGINS can call the API with CORS, and every answer carries the security headers."""

from __future__ import annotations

import pytest

from dashboard import dispatch
from tests.test_auth import account_url, cookie_client

SIGN_IN = "/api/user/create-session"
APP = "https://app.example"
EVIL = "https://evil.example"

CROSS_SITE = {"Origin": EVIL, "Sec-Fetch-Site": "cross-site"}
ALLOWED_APP = {"Origin": APP, "Sec-Fetch-Site": "cross-site"}


def credentials(user, **extra):
    return {"username": user.username, "password": user.password, **extra}


class TestLoginCsrf:
    """A request that would set the session cookies: create-session."""

    @pytest.mark.parametrize(
        "headers",
        [
            CROSS_SITE,
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site", "Origin": "https://sibling.localhost"},
            {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},  # a forged pair
            {"Origin": EVIL},  # a browser without Fetch Metadata
            {"Origin": "null"},  # a sandboxed frame or a data: page
        ],
    )
    def test_another_site_cannot_sign_a_browser_in(self, client, user, headers):
        response = client.post(SIGN_IN, json=credentials(user), headers=headers)
        assert (response.status_code, response.json["message"]) == (403, "invalid-origin")
        assert "Set-Cookie" not in response.headers

    @pytest.mark.parametrize(
        "headers",
        [
            {},  # curl, servers, apps: not a browser
            {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
            {"Sec-Fetch-Site": "none"},  # the user typed it
            {"Sec-Fetch-Site": "same-site"},  # a sibling's link, with no Origin
            {"Origin": "http://localhost"},  # this service's own host, no Fetch Metadata
        ],
    )
    def test_the_service_itself_and_non_browsers_sign_in(self, client, user, headers):
        response = client.post(SIGN_IN, json=credentials(user), headers=headers)
        assert response.status_code == 200
        assert response.headers.getlist("Set-Cookie")

    def test_an_allowed_origin_signs_in(self, make_app, user):
        client = make_app(allowed_origins=(APP,)).test_client()
        assert client.post(SIGN_IN, json=credentials(user), headers=ALLOWED_APP).status_code == 200

    def test_refused_before_any_password_check(self, client, user, bcrypt_calls):
        client.post(SIGN_IN, json=credentials(user), headers=CROSS_SITE)
        assert bcrypt_calls == []


class TestCookiesFromAnotherSite:
    def test_a_cross_site_request_cannot_use_the_cookies(self, client, user):
        response = cookie_client(client, user).get(account_url(user), headers=CROSS_SITE)
        assert (response.status_code, response.json["message"]) == (403, "invalid-origin")

    def test_same_origin_requests_use_them(self, client, user):
        headers = {"Sec-Fetch-Site": "same-origin"}
        assert (
            cookie_client(client, user).get(account_url(user), headers=headers).status_code == 200
        )

    def test_bearer_from_another_site_uses_no_cookie_and_passes(self, client, user):
        assert (
            client.get(account_url(user), headers={**user.bearer, **CROSS_SITE}).status_code == 200
        )

    def test_public_routes_ignore_the_cookies_and_the_origin(self, client, user):
        response = cookie_client(client, user).post(
            "/api/user/create-account",
            json={"username": "another-user", "password": "another-password"},
            headers=CROSS_SITE,
        )
        assert response.status_code == 200


class TestCors:
    @pytest.fixture
    def spa(self, make_app):
        return make_app(allowed_origins=(APP, "http://localhost:5173")).test_client()

    def preflight(self, client, origin, method="PATCH"):
        return client.options(
            "/api/user/reset-session-key",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": method,
                "Access-Control-Request-Headers": "x-csrf-token, content-type",
            },
        )

    def test_preflight_from_an_allowed_origin(self, spa):
        response = self.preflight(spa, APP)
        assert response.status_code == 200
        assert response.headers["Access-Control-Allow-Origin"] == APP
        assert response.headers["Access-Control-Allow-Credentials"] == "true"
        allowed = response.headers["Access-Control-Allow-Headers"].lower()
        assert "x-csrf-token" in allowed and "content-type" in allowed
        assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
        assert "Origin" in response.headers["Vary"]

    def test_preflight_from_another_origin_gets_no_permission(self, spa):
        response = self.preflight(spa, EVIL)
        assert "Access-Control-Allow-Origin" not in response.headers

    def test_a_credentialed_request_from_an_allowed_origin(self, spa, user):
        signed_in = spa.post(
            SIGN_IN, json=credentials(user, **{"cookie-only": "true"}), headers=ALLOWED_APP
        )
        assert signed_in.headers["Access-Control-Allow-Origin"] == APP
        assert signed_in.headers["Access-Control-Allow-Credentials"] == "true"
        current = spa.get("/api/user/current-session", headers=ALLOWED_APP)
        assert current.status_code == 200
        assert current.headers["Access-Control-Allow-Origin"] == APP
        reset = spa.patch(
            account_url(user).replace("account?", "reset-session-key?"),
            headers={**ALLOWED_APP, "X-CSRF-Token": current.json["csrfToken"]},
        )
        assert reset.status_code == 200

    def test_errors_are_readable_by_the_allowed_origin(self, spa):
        response = spa.get("/api/user/current-session", headers=ALLOWED_APP)
        assert response.status_code == 401
        assert response.headers["Access-Control-Allow-Origin"] == APP

    def test_a_request_from_another_origin_gets_no_permission(self, spa, user):
        response = spa.get(account_url(user), headers={**user.bearer, "Origin": EVIL})
        assert "Access-Control-Allow-Origin" not in response.headers

    def test_preflights_do_not_count_against_sign_in_limits(self, make_app, user):
        client = make_app(
            allowed_origins=(APP,), ratelimit_enabled=True, create_session_rate_limit="1 per minute"
        ).test_client()
        for _ in range(3):
            assert self.preflight(client, APP, "POST").status_code == 200
        assert client.post(SIGN_IN, json=credentials(user), headers=ALLOWED_APP).status_code == 200

    @pytest.mark.parametrize("origins", [(APP,), (APP, "http://localhost:5173")])
    def test_every_answer_varies_by_origin(self, make_app, user, origins):
        # One allowed origin too: the answer to it carries CORS headers, others' do not.
        client = make_app(allowed_origins=origins).test_client()
        answers = [
            client.get(account_url(user), headers={**user.bearer, **ALLOWED_APP}),
            client.get(account_url(user), headers=user.bearer),  # answered before Flask
            client.post(SIGN_IN, json=credentials(user), headers=ALLOWED_APP),
            client.post(SIGN_IN, json={}),
            self.preflight(client, APP),
        ]
        for answer in answers:
            assert [v.strip() for v in answer.headers["Vary"].split(",")].count("Origin") == 1

    def test_no_vary_without_allowed_origins(self, client, user):
        assert "Vary" not in client.get(account_url(user), headers=user.bearer).headers

    def test_off_without_allowed_origins(self, client):
        response = self.preflight(client, APP)
        assert (response.status_code, response.json["message"]) == (405, "invalid-method")
        assert "Access-Control-Allow-Origin" not in response.headers


class TestCookieOnly:
    def test_sets_the_cookies_and_keeps_the_token_out_of_the_body(self, client, user):
        response = client.post(SIGN_IN, json=credentials(user, **{"cookie-only": "true"}))
        assert response.status_code == 200
        assert "token" not in response.json
        cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
        assert {"sessionid", "token"} <= set(cookies)
        assert all("HttpOnly" in cookie for cookie in cookies.values())
        assert client.get(account_url(user)).status_code == 200

    def test_false_returns_the_token(self, client, user):
        response = client.post(SIGN_IN, json=credentials(user, **{"cookie-only": "false"}))
        assert len(response.json["token"]) == 64

    def test_anything_else_is_400(self, client, user):
        response = client.post(SIGN_IN, json=credentials(user, **{"cookie-only": "1"}))
        assert (response.status_code, response.json["message"]) == (400, "invalid-cookie-only")


class TestSecurityHeaders:
    def answers(self, make_app, user, secure):
        client = make_app(
            ratelimit_enabled=True,
            create_session_rate_limit="1 per minute",
            session_cookie_secure=secure,
        ).test_client()
        return {
            "success": client.get(account_url(user), headers=user.bearer),
            "error": client.get("/api/user/account?accountid=x", headers=user.bearer),
            "401": client.get(account_url(user)),
            "404": client.get("/api/user/nowhere"),
            "first sign-in": client.post(SIGN_IN, json=credentials(user)),
            "429": client.post(SIGN_IN, json=credentials(user)),
            "healthz": client.get("/healthz"),
        }

    @pytest.mark.parametrize("secure", [True, False])
    def test_on_every_answer(self, make_app, user, secure):
        answers = self.answers(make_app, user, secure)
        assert [a.status_code for a in answers.values()] == [200, 400, 401, 404, 200, 429, 200]
        for name, answer in answers.items():
            for header, value in dispatch.SECURITY_HEADERS.items():
                assert answer.headers[header] == value, (name, header)
            assert answer.headers.get("Strict-Transport-Security") == (
                dispatch.HSTS if secure else None
            ), name

    def test_the_policy_forbids_framing_and_loading_anything(self):
        policy = dispatch.SECURITY_HEADERS["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
