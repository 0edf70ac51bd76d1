"""GET /api/administrator/account"""

from __future__ import annotations

ROUTE = "administrator/account"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "get", req) == "invalid-accountid"


class TestReceives:
    def test_required_querystring_accountid_of_anyone(self, call, administrator, user):
        account = call(ROUTE, "get", administrator.ask(user.own))
        assert account["accountid"] == user.account["accountid"]


class TestReturns:
    def test_object_without_secrets(self, call, administrator, user):
        account = call(ROUTE, "get", administrator.ask(user.own))
        assert account == call("user/account", "get", user.ask(user.own))


class TestHttp:
    def test_bearer(self, client, administrator, user):
        response = client.get(
            f"/api/administrator/account?accountid={user.account['accountid']}",
            headers=administrator.bearer,
        )
        assert (response.status_code, response.json["accountid"]) == (
            200,
            user.account["accountid"],
        )

    def test_unknown_is_400(self, client, administrator):
        response = client.get(
            "/api/administrator/account?accountid=acct_0000000000000000",
            headers=administrator.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-accountid")
