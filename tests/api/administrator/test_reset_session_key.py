"""PATCH /api/administrator/reset-session-key"""

from __future__ import annotations

from tests.api.administrator.rank import RankRule

ROUTE = "administrator/reset-session-key"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "patch", administrator.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "acct_%00"})
            assert error_of(ROUTE, "patch", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_account_scheduled_for_deletion(self, call, error_of, administrator, user):
            call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
            assert error_of(ROUTE, "patch", administrator.ask(user.own)) == "invalid-account"


class TestRank(RankRule):
    ROUTE = ROUTE
    METHOD = "patch"


class TestReceives:
    def test_required_querystring_accountid(self, call, administrator, user):
        assert call(ROUTE, "patch", administrator.ask(user.own))["object"] == "account"


class TestReturns:
    def test_account_with_the_next_key_number(self, call, administrator, user):
        account = call(ROUTE, "patch", administrator.ask(user.own))
        assert account["sessionKeyNumber"] == user.account["sessionKeyNumber"] + 1


class TestHttp:
    def test_every_session_of_the_target_ends(self, client, administrator, user):
        response = client.patch(
            f"/api/administrator/reset-session-key?accountid={user.account['accountid']}",
            headers=administrator.bearer,
        )
        assert response.status_code == 200
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 401
