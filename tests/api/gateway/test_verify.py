"""GET /api/verify"""

from __future__ import annotations

import peewee
import pytest

from dashboard import lookup, storage
from dashboard.api.gateway import verify

ROUTE = "verify"
URL = "/api/verify"
IDENTITY = ("X-Accountid", "X-Sessionid", "X-Administrator", "X-Session-Verified-At")


def cookie_sign_in(client, user, **headers):
    signed_in = client.post(
        "/api/user/create-session",
        json={"username": user.username, "password": user.password, "cookie-only": "true"},
        headers=headers,
    )
    assert signed_in.status_code == 200
    return signed_in.json


def signed_out(response) -> bool:
    return (
        response.status_code == 401
        and response.json == {"object": "auth", "message": "Sign in required"}
        and response.headers["WWW-Authenticate"] == "Bearer"
        and not any(name in response.headers for name in IDENTITY)
    )


class TestExceptions:
    class TestInvalidSession:
        def test_req_without_a_signed_in_session(self, error_of, user):
            assert error_of(ROUTE, "get", {"account": user.account}) == "invalid-session"

        def test_req_with_another_accounts_session(self, error_of, create_user):
            user, other = create_user(), create_user()
            req = {"account": user.account, "session": other.session}
            assert error_of(ROUTE, "get", req) == "invalid-session"


class TestReceives:
    def test_the_signed_in_account_and_session(self, call, user):
        identity = call(ROUTE, "get", user.req)
        assert identity["accountid"] == user.account["accountid"]
        assert identity["sessionid"] == user.session["sessionid"]


class TestReturns:
    def test_identity(self, call, user):
        assert call(ROUTE, "get", user.req) == {
            "accountid": user.account["accountid"],
            "sessionid": user.session["sessionid"],
            "administrator": False,
            "sessionVerifiedAt": user.session["lastVerifiedAt"],
        }

    def test_administrator(self, call, administrator):
        assert call(ROUTE, "get", administrator.req)["administrator"] is True


class TestHttp:
    def test_bearer_is_200_with_the_four_headers_and_no_body(self, client, user):
        response = client.get(URL, headers=user.bearer)
        assert response.status_code == 200
        assert response.get_data() == b""
        assert response.headers["X-Accountid"] == user.account["accountid"]
        assert response.headers["X-Sessionid"] == user.session["sessionid"]
        assert response.headers["X-Administrator"] == "false"
        assert response.headers["X-Session-Verified-At"] == user.session["lastVerifiedAt"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_administrator_is_true(self, client, administrator):
        assert client.get(URL, headers=administrator.bearer).headers["X-Administrator"] == "true"

    def test_head(self, client, user):
        response = client.head(URL, headers=user.bearer)
        assert response.status_code == 200
        assert response.headers["X-Accountid"] == user.account["accountid"]
        assert response.get_data() == b""
        refused = client.head(URL)
        assert refused.status_code == 401 and refused.get_data() == b""

    def test_cookies(self, client, user):
        session = cookie_sign_in(client, user)
        response = client.get(URL)
        assert response.status_code == 200
        assert response.headers["X-Sessionid"] == session["sessionid"]

    def test_signed_out_is_401(self, client):
        assert signed_out(client.get(URL))

    @pytest.mark.parametrize(
        "authorization",
        ["Bearer", "Bearer sess_0000000000000000.", "Basic dXNlcjpwYXNz", "Bearer nonsense"],
    )
    def test_malformed_credentials_are_401(self, client, authorization):
        assert signed_out(client.get(URL, headers={"Authorization": authorization}))

    def test_tampered_token_is_401(self, client, user):
        token = user.session["token"]
        tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
        headers = {"Authorization": f"Bearer {user.session['sessionid']}.{tampered}"}
        assert signed_out(client.get(URL, headers=headers))

    def test_a_token_in_the_query_string_is_ignored(self, client, user):
        query = f"?sessionid={user.session['sessionid']}&token={user.session['token']}"
        assert signed_out(client.get(URL + query))

    def test_a_client_sent_accountid_proves_nothing(self, client, user):
        forged = {"X-Accountid": user.account["accountid"], "X-Sessionid": "sess_x"}
        assert signed_out(client.get(URL, headers=forged))

    def test_ended_session_is_401(self, client, user):
        ended = client.patch(
            f"/api/user/set-session-ended?sessionid={user.session['sessionid']}",
            headers=user.bearer,
        )
        assert ended.status_code == 200
        assert signed_out(client.get(URL, headers=user.bearer))

    def test_expired_session_is_401(self, client, user, frozen_clock):
        frozen_clock.advance(minutes=19, seconds=59)
        assert client.get(URL, headers=user.bearer).status_code == 200
        frozen_clock.advance(seconds=1)
        assert signed_out(client.get(URL, headers=user.bearer))

    def test_reset_session_key_refuses_the_very_next_request(self, client, user):
        assert client.get(URL, headers=user.bearer).status_code == 200
        reset = client.patch(
            f"/api/user/reset-session-key?accountid={user.account['accountid']}",
            headers=user.bearer,
        )
        assert reset.status_code == 200
        assert signed_out(client.get(URL, headers=user.bearer))

    def test_deleted_account_is_401(self, client, user):
        deleted = client.patch(
            f"/api/user/set-account-deleted?accountid={user.account['accountid']}",
            json={"password": user.password},
            headers=user.bearer,
        )
        assert deleted.status_code == 200
        assert signed_out(client.get(URL, headers=user.bearer))

    def test_application_server(self, make_app, owner):
        app = make_app(application_server_token="a" * 40)
        headers = {
            "X-Application-Server-Token": "a" * 40,
            "X-Accountid": owner.account["accountid"],
            "X-Sessionid": owner.session["sessionid"],
        }
        response = app.test_client().get(URL, headers=headers)
        assert response.headers["X-Accountid"] == owner.account["accountid"]
        wrong = app.test_client().get(URL, headers={**headers, "X-Application-Server-Token": "b"})
        assert signed_out(wrong)

    @pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE", "OPTIONS"])
    def test_other_methods_are_405(self, client, user, method):
        response = client.open(URL, method=method, headers=user.bearer)
        assert response.status_code == 405
        assert response.json == {"object": "error", "message": "invalid-method"}
        assert response.headers["Allow"] == "GET, HEAD"

    def test_never_rate_limited(self, make_app, owner):
        client = make_app(ratelimit_enabled=True).test_client()
        headers = {"Authorization": f"Bearer {owner.session['sessionid']}.{owner.session['token']}"}
        answers = {client.get(URL, headers=headers).status_code for _ in range(60)}
        answers |= {client.get(URL).status_code for _ in range(60)}
        assert answers == {200, 401}

    def test_answered_before_flask(self, app, client, user):
        hooked = []
        app.before_request(lambda: hooked.append("flask"))
        assert client.get(URL, headers=user.bearer).status_code == 200
        assert hooked == []
        client.get("/healthz")  # Flask answers it
        assert hooked == ["flask"]


class TestTheCsrfRuleOfTheForwardedRequest:
    @pytest.mark.parametrize("header", ["X-Forwarded-Method", "X-Original-Method"])
    @pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE", "post"])
    def test_cookie_and_unsafe_without_the_token_is_403(self, client, user, header, method):
        cookie_sign_in(client, user)
        response = client.get(URL, headers={header: method})
        assert response.status_code == 403
        assert response.json == {"object": "error", "message": "invalid-csrf-token"}
        assert not any(name in response.headers for name in IDENTITY)

    def test_cookie_and_unsafe_with_the_token_is_200(self, client, user):
        session = cookie_sign_in(client, user)
        headers = {"X-Forwarded-Method": "POST", "X-CSRF-Token": session["csrfToken"]}
        assert client.get(URL, headers=headers).status_code == 200
        wrong = {"X-Forwarded-Method": "POST", "X-CSRF-Token": "0" * 64}
        assert client.get(URL, headers=wrong).status_code == 403

    @pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
    def test_cookie_and_safe_needs_no_token(self, client, user, method):
        cookie_sign_in(client, user)
        assert client.get(URL, headers={"X-Forwarded-Method": method}).status_code == 200

    @pytest.mark.parametrize(
        "headers",
        [
            {"X-Forwarded-Method": "GET", "X-Original-Method": "POST"},
            {"X-Forwarded-Method": "POST", "X-Original-Method": "GET"},
            {"X-Original-Method": "POST,GET"},
            {"X-Forwarded-Method": "GET, DELETE"},
            {"X-Forwarded-Method": "PROPFIND"},
        ],
    )
    def test_where_the_methods_disagree_the_unsafe_one_wins(self, client, user, headers):
        session = cookie_sign_in(client, user)
        response = client.get(URL, headers=headers)
        assert (response.status_code, response.json["message"]) == (403, "invalid-csrf-token")
        with_token = {**headers, "X-CSRF-Token": session["csrfToken"]}
        assert client.get(URL, headers=with_token).status_code == 200

    def test_a_list_of_safe_methods_is_safe(self, client, user):
        cookie_sign_in(client, user)
        headers = {"X-Forwarded-Method": "GET, HEAD", "X-Original-Method": "OPTIONS"}
        assert client.get(URL, headers=headers).status_code == 200

    def test_envoys_unsafe_method_wins_over_a_header(self, client, user):
        cookie_sign_in(client, user)
        response = client.post(f"{URL}/notes", headers={"X-Forwarded-Method": "GET"})
        assert (response.status_code, response.json["message"]) == (403, "invalid-csrf-token")

    def test_bearer_needs_no_token(self, client, user):
        headers = {**user.bearer, "X-Forwarded-Method": "DELETE"}
        assert client.get(URL, headers=headers).status_code == 200

    def test_another_sites_page_cannot_use_the_cookies(self, client, user):
        cookie_sign_in(client, user)
        response = client.get(URL, headers={"Sec-Fetch-Site": "cross-site"})
        assert (response.status_code, response.json["message"]) == (403, "invalid-origin")

    def test_the_origin_is_compared_with_the_forwarded_host(self, client, user):
        cookie_sign_in(client, user)
        same = {"Origin": "https://site.example", "X-Forwarded-Host": "site.example"}
        assert client.get(URL, headers=same).status_code == 200
        other = {"Origin": "https://other.example", "X-Forwarded-Host": "site.example"}
        assert client.get(URL, headers=other).status_code == 403


class TestEnvoysForm:
    """Envoy's ext_authz asks /api/verify/<original path> with the original method."""

    def test_any_path_under_verify_with_the_original_method(self, client, user):
        for method in ("GET", "POST", "DELETE"):
            response = client.open(f"{URL}/notes/7", method=method, headers=user.bearer)
            assert response.status_code == 200, method
            assert response.headers["X-Accountid"] == user.account["accountid"]

    def test_the_method_is_the_forwarded_one_for_the_csrf_rule(self, client, user):
        session = cookie_sign_in(client, user)
        assert client.get(f"{URL}/notes").status_code == 200
        refused = client.post(f"{URL}/notes")
        assert (refused.status_code, refused.json["message"]) == (403, "invalid-csrf-token")
        allowed = client.post(f"{URL}/notes", headers={"X-CSRF-Token": session["csrfToken"]})
        assert allowed.status_code == 200

    def test_signed_out_is_401(self, client):
        assert signed_out(client.delete(f"{URL}/notes"))

    def test_a_look_alike_path_is_not_verify(self, client, user):
        response = client.get("/api/verifying", headers=user.bearer)
        assert (response.status_code, response.json["message"]) == (404, "invalid-route")


class TestFailures:
    def test_database_unavailable_is_503(self, client, user, monkeypatch):
        def unreachable(*args):
            raise peewee.OperationalError("could not connect to server")

        monkeypatch.setattr(lookup, "session_with_account", unreachable)
        response = client.get(URL, headers=user.bearer)
        assert response.status_code == 503
        assert response.json == {"object": "error", "message": "storage-unavailable"}

    def test_unexpected_error_is_500_with_a_request_id(self, client, user, monkeypatch, caplog):
        def broken(req):
            raise RuntimeError(f"secret {user.session['token']}")

        monkeypatch.setattr(verify, "get", broken)
        response = client.get(URL, headers=user.bearer)
        assert (response.status_code, response.json["message"]) == (500, "unknown-error")
        assert response.headers["X-Request-Id"] in caplog.text
        assert user.session["token"] not in caplog.text


class TestPostgreSQL:
    def test_the_lookup_is_prepared_once_per_connection(self, app, client, user, database_url):
        if not database_url.startswith("postgresql"):
            pytest.skip("PostgreSQL only: there the query plan is made once per connection")
        for _ in range(3):
            assert client.get(URL, headers=user.bearer).status_code == 200
        with app.app_context():
            names = storage.db.execute_sql("SELECT name FROM pg_prepared_statements").fetchall()
        assert names == [("dashboard_session_with_account",)]
