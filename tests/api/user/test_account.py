"""GET /api/user/account"""

from __future__ import annotations

from dashboard import storage

ROUTE = "user/account"


def url(accountid: str) -> str:
    return f"/api/user/account?accountid={accountid}"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.req) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            req = {**user.req, "query": {"accountid": "invalid"}}
            assert error_of(ROUTE, "get", req) == "invalid-accountid"

        def test_accountid_of_another_appid(self, error_of, user):
            req = {**user.req, "query": {"accountid": user.account["accountid"]}, "appid": "other"}
            assert error_of(ROUTE, "get", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, user2 = create_user(), create_user()
            req = {**user.req, "query": {"accountid": user2.account["accountid"]}}
            assert error_of(ROUTE, "get", req) == "invalid-account"


class TestReceives:
    def test_required_querystring_accountid(self, call, user):
        req = {**user.req, "query": {"accountid": user.account["accountid"]}}
        assert call(ROUTE, "get", req)["accountid"] == user.account["accountid"]


class TestReturns:
    def test_object(self, call, user):
        account = call(
            ROUTE, "get", {**user.req, "query": {"accountid": user.account["accountid"]}}
        )
        assert account["object"] == "account"
        assert account["sessionKeyNumber"] == 1
        assert "lastSignedInAt" in account
        assert not {"usernameHash", "passwordHash", "sessionKey"} & set(account)


class TestHttp:
    def test_bearer(self, client, user):
        response = client.get(url(user.account["accountid"]), headers=user.bearer)
        assert response.status_code == 200
        assert response.json["accountid"] == user.account["accountid"]
        assert response.headers["Cache-Control"] == "no-store"

    def test_signed_out_is_401(self, client, user):
        response = client.get(url(user.account["accountid"]))
        assert response.status_code == 401
        assert response.json == {"object": "auth", "message": "Sign in required"}
        assert response.headers["WWW-Authenticate"] == "Bearer"

    def test_missing_querystring_accountid(self, client, user):
        response = client.get("/api/user/account", headers=user.bearer)
        assert response.status_code == 400
        assert response.json == {
            "object": "error",
            "message": "invalid-accountid",
            "field": "accountid",
        }

    def test_invalid_querystring_accountid(self, client, user):
        response = client.get(url("acct_0000000000000000"), headers=user.bearer)
        assert response.status_code == 400
        assert response.json == {
            "object": "error",
            "message": "invalid-accountid",
            "field": "accountid",
        }

    def test_ineligible_accessing_account_is_403(self, client, create_user):
        user, user2 = create_user(), create_user()
        response = client.get(url(user2.account["accountid"]), headers=user.bearer)
        assert response.status_code == 403
        assert response.json == {"object": "error", "message": "invalid-account"}

    def test_reads_fresh_after_a_write(self, app, client, user):
        client.get(url(user.account["accountid"]), headers=user.bearer)
        with app.app_context():
            storage.Account.update(last_signed_in_at=None).execute()
        # the cache is null by default: no stale row to serve
        assert (
            "lastSignedInAt"
            not in client.get(url(user.account["accountid"]), headers=user.bearer).json
        )
