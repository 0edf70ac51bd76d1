"""PATCH /api/administrator/reset-second-factors"""

from __future__ import annotations

from tests.api.administrator.rank import RankRule

ROUTE = "administrator/reset-second-factors"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "patch", administrator.ask()) == "invalid-accountid"

        def test_unknown_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "patch", req) == "invalid-accountid"


class TestRank(RankRule):
    ROUTE = ROUTE
    METHOD = "patch"


class TestReceives:
    def test_required_querystring_accountid(self, call, administrator, user):
        assert call(ROUTE, "patch", administrator.ask(user.own))["object"] == "account"


class TestReturns:
    def test_account_without_second_factors(self, call, administrator, user, add_totp):
        add_totp(user)
        assert call(ROUTE, "patch", administrator.ask(user.own))["secondFactors"] == []


class TestHttp:
    def test_the_user_signs_in_with_the_password_alone_again(
        self, client, administrator, user, add_totp
    ):
        add_totp(user)
        response = client.patch(
            f"/api/{ROUTE}?accountid={user.account['accountid']}", headers=administrator.bearer
        )
        assert response.status_code == 200
        credentials = {"username": user.username, "password": user.password}
        signed = client.post("/api/user/create-session", json=credentials).json
        assert "secondFactorRequired" not in signed
