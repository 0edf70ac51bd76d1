"""PATCH /api/administrator/set-owner-account"""

from __future__ import annotations

ROUTE = "administrator/set-owner-account"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, owner):
            assert error_of(ROUTE, "patch", owner.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, owner):
            req = owner.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "patch", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_the_caller_is_not_the_owner(self, error_of, administrator, user):
            assert error_of(ROUTE, "patch", administrator.ask(user.own)) == "invalid-account"

        def test_the_account_is_the_caller(self, error_of, owner):
            assert error_of(ROUTE, "patch", owner.ask(owner.own)) == "invalid-account"

        def test_scheduled_for_deletion(self, call, error_of, owner, user):
            call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
            assert error_of(ROUTE, "patch", owner.ask(user.own)) == "invalid-account"


class TestReceives:
    def test_required_querystring_accountid(self, call, owner, user):
        assert call(ROUTE, "patch", owner.ask(user.own))["owner"] is True


class TestReturns:
    def test_the_new_owner_also_administrator_the_old_stays_one(self, call, owner, user):
        new = call(ROUTE, "patch", owner.ask(user.own))
        old = call("administrator/account", "get", owner.ask(owner.own))
        assert new["owner"] is True and new["administrator"] is True
        assert "owner" not in old and old["administrator"] is True


class TestHttp:
    def test_ownership_moves(self, client, owner, administrator):
        url = f"/api/administrator/set-owner-account?accountid={administrator.account['accountid']}"
        assert client.patch(url, headers=owner.bearer).status_code == 200
        again = client.patch(url, headers=owner.bearer)  # no longer the owner
        assert (again.status_code, again.json["message"]) == (403, "invalid-account")
