"""POST /api/administrator/create-reset-code"""

from __future__ import annotations

import pytest

from dashboard.errors import ApiError
from tests.api.administrator.rank import RankRule
from tests.conftest import call_route

ROUTE = "administrator/create-reset-code"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "post", administrator.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "post", req) == "invalid-accountid"

    class TestInvalidSecretCode:
        def test_posted_secret_code_not_letters_and_digits(self, error_of, administrator, user):
            req = administrator.ask(user.own, secret_code="not letters!")
            assert error_of(ROUTE, "post", req) == "invalid-secret-code"

    class TestInvalidSecretCodeLength:
        def test_posted_secret_code_too_short(self, error_of, administrator, user):
            req = administrator.ask(user.own, secret_code="abc")
            assert error_of(ROUTE, "post", req) == "invalid-secret-code-length"

    class TestMaximumResetCodes:
        def test_the_account_already_holds_maximum_reset_codes(self, make_app, administrator, user):
            app = make_app(maximum_reset_codes=1)
            call_route(app, ROUTE, "post", administrator.ask(user.own))
            with pytest.raises(ApiError, match="^maximum-reset-codes$"):
                call_route(app, ROUTE, "post", administrator.ask(user.own))


class TestRank(RankRule):
    ROUTE = ROUTE
    METHOD = "post"


class TestReceives:
    def test_optional_posted_secret_code(self, call, administrator, user):
        code = call(ROUTE, "post", administrator.ask(user.own, secret_code="helpdesk1234"))
        assert "secretCode" not in code
        reset = {
            "username": user.username,
            "new-password": "after-the-call",
            "secret-code": "helpdesk1234",
        }
        assert call("user/reset-account-password", "patch", {"body": reset}) is True


class TestReturns:
    def test_object_of_the_target_with_the_code_once(self, call, administrator, user):
        code = call(ROUTE, "post", administrator.ask(user.own))
        assert code["object"] == "resetCode"
        assert code["accountid"] == user.account["accountid"]
        assert len(code["secretCode"]) == 40

    def test_stamps_the_target_not_the_administrator(self, call, administrator, user):
        code = call(ROUTE, "post", administrator.ask(user.own))
        target = call("administrator/account", "get", administrator.ask(user.own))
        admin = call("administrator/account", "get", administrator.ask(administrator.own))
        assert target["resetCodeLastCreatedAt"] == code["createdAt"]
        assert "resetCodeLastCreatedAt" not in admin


class TestHttp:
    def test_bearer(self, client, administrator, user):
        response = client.post(
            f"/api/administrator/create-reset-code?accountid={user.account['accountid']}",
            headers=administrator.bearer,
        )
        assert (response.status_code, len(response.json["secretCode"])) == (200, 40)
