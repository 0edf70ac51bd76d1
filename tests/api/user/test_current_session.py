"""GET /api/user/current-session"""

from __future__ import annotations

ROUTE = "user/current-session"
URL = "/api/user/current-session"


class TestExceptions:
    class TestInvalidSession:
        def test_req_without_a_signed_in_session(self, error_of, user):
            assert error_of(ROUTE, "get", {"account": user.account}) == "invalid-session"

        def test_req_with_another_accounts_session(self, error_of, create_user):
            user, other = create_user(), create_user()
            req = {"account": user.account, "session": other.session}
            assert error_of(ROUTE, "get", req) == "invalid-session"


class TestReceives:
    def test_the_signed_in_session(self, call, user):
        assert call(ROUTE, "get", user.req)["sessionid"] == user.session["sessionid"]


class TestReturns:
    def test_object_with_its_csrf_token_and_accountid(self, call, user):
        session = call(ROUTE, "get", user.req)
        assert session["object"] == "session"
        assert session["accountid"] == user.account["accountid"]
        assert session["csrfToken"] == user.session["csrfToken"]
        assert session["ended"] is False

    def test_never_the_token(self, call, user):
        session = call(ROUTE, "get", user.req)
        assert "token" not in session
        assert user.session["token"] not in str(session)


class TestHttp:
    def test_a_page_after_a_reload_learns_its_ids_from_the_cookies(self, client, user):
        signed_in = client.post(
            "/api/user/create-session",
            json={"username": user.username, "password": user.password, "cookie-only": "true"},
        )
        assert "token" not in signed_in.json
        current = client.get(URL)  # the cookies alone
        assert current.status_code == 200
        assert current.json["sessionid"] == signed_in.json["sessionid"]
        assert current.json["csrfToken"] == signed_in.json["csrfToken"]
        assert current.json["accountid"] == user.account["accountid"]

    def test_bearer(self, client, user):
        assert client.get(URL, headers=user.bearer).json["sessionid"] == user.session["sessionid"]

    def test_signed_out_is_401(self, client):
        response = client.get(URL)
        assert (response.status_code, response.json["message"]) == (401, "Sign in required")

    def test_only_get(self, client, user):
        assert client.post(URL, headers=user.bearer).status_code == 405
