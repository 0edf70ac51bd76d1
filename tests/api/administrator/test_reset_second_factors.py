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

    def test_its_passkeys_gone_and_signing_in_no_more(
        self, call, error_of, administrator, user, add_totp, add_passkey
    ):
        add_totp(user)
        held = add_passkey(user)
        assert call(ROUTE, "patch", administrator.ask(user.own))["secondFactors"] == []
        assert call("user/passkeys-count", "get", user.ask(user.own)) == 0
        options = call("user/passkey-sign-in-options", "post", {})
        req = {"body": {"assertion": held.get(options)}}
        assert error_of("user/create-session-with-passkey", "post", req) == "invalid-assertion"


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
