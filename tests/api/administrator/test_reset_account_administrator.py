"""PATCH /api/administrator/reset-account-administrator"""

from __future__ import annotations

ROUTE = "administrator/reset-account-administrator"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "patch", administrator.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "patch", administrator.ask({"accountid": "x"})) == (
                "invalid-accountid"
            )

    class TestInvalidAccount:
        def test_not_an_administrator(self, error_of, administrator, user):
            assert error_of(ROUTE, "patch", administrator.ask(user.own)) == "invalid-account"

        def test_the_owner_always_is_one(self, error_of, administrator, owner):
            assert error_of(ROUTE, "patch", administrator.ask(owner.own)) == "invalid-account"


class TestReceives:
    def test_required_querystring_accountid(self, call, owner, administrator):
        account = call(ROUTE, "patch", owner.ask(administrator.own))
        assert "administrator" not in account


class TestReturns:
    def test_account_without_administrator_since(self, call, owner, administrator):
        account = call(ROUTE, "patch", owner.ask(administrator.own))
        assert "administratorSince" not in account


class TestHttp:
    def test_the_former_administrator_is_refused(self, client, owner, administrator):
        url = (
            "/api/administrator/reset-account-administrator?accountid="
            + (administrator.account["accountid"])
        )
        assert client.patch(url, headers=owner.bearer).status_code == 200
        response = client.get("/api/administrator/accounts", headers=administrator.bearer)
        assert (response.status_code, response.json["message"]) == (403, "Administrator required")
