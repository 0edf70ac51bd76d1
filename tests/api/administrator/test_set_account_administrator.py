"""PATCH /api/administrator/set-account-administrator"""

from __future__ import annotations

ROUTE = "administrator/set-account-administrator"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "patch", administrator.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "patch", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_already_an_administrator(self, error_of, administrator, owner):
            assert error_of(ROUTE, "patch", administrator.ask(owner.own)) == "invalid-account"

        def test_scheduled_for_deletion(self, call, error_of, administrator, user):
            call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
            assert error_of(ROUTE, "patch", administrator.ask(user.own)) == "invalid-account"


class TestReceives:
    def test_required_querystring_accountid(self, call, administrator, user):
        assert call(ROUTE, "patch", administrator.ask(user.own))["administrator"] is True


class TestReturns:
    def test_account_with_administrator_since(self, call, administrator, user, frozen_clock):
        account = call(ROUTE, "patch", administrator.ask(user.own))
        assert account["administratorSince"] == account["updatedAt"]


class TestHttp:
    def test_the_new_administrator_can_administer(self, client, administrator, user):
        response = client.patch(
            f"/api/administrator/set-account-administrator?accountid={user.account['accountid']}",
            headers=administrator.bearer,
        )
        assert response.status_code == 200
        assert client.get("/api/administrator/accounts", headers=user.bearer).status_code == 200
