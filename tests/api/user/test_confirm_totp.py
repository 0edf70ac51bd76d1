"""PATCH /api/user/confirm-totp"""

from __future__ import annotations

from tests.conftest import code_of

ROUTE = "user/confirm-totp"


def pending(call, user) -> str:
    made = call("user/create-totp", "post", user.ask(user.own, password=user.password))
    return made["secret"]


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "patch", user.ask(code="123456")) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "patch", user.ask(other.own, code="123456")) == "invalid-account"

    class TestInvalidCode:
        def test_missing_posted_code(self, error_of, call, user):
            pending(call, user)
            assert error_of(ROUTE, "patch", user.ask(user.own)) == "invalid-code"

        def test_wrong_posted_code(self, error_of, call, user, frozen_clock):
            secret = pending(call, user)
            for wrong in ("000000", code_of(secret, frozen_clock, steps=3), "12345", "abcdef"):
                if wrong != code_of(secret, frozen_clock):
                    req = user.ask(user.own, code=wrong)
                    assert error_of(ROUTE, "patch", req) == "invalid-code"

    class TestInvalidTotp:
        def test_none_waits_to_be_confirmed(self, error_of, user):
            assert error_of(ROUTE, "patch", user.ask(user.own, code="123456")) == "invalid-totp"


class TestReceives:
    def test_required_posted_code_one_step_either_side(self, call, create_user, frozen_clock):
        for steps in (-1, 0, 1):
            user = create_user()
            secret = pending(call, user)
            code = code_of(secret, frozen_clock, steps)
            assert call(ROUTE, "patch", user.ask(user.own, code=code))["secondFactors"] == ["totp"]


class TestReturns:
    def test_account_listing_totp(self, call, user, frozen_clock):
        secret = pending(call, user)
        account = call(ROUTE, "patch", user.ask(user.own, code=code_of(secret, frozen_clock)))
        assert (account["object"], account["secondFactors"]) == ("account", ["totp"])
        assert "secret" not in str(account).lower()


class TestHttp:
    def test_patch(self, client, call, user, frozen_clock):
        secret = pending(call, user)
        response = client.patch(
            f"/api/{ROUTE}?accountid={user.account['accountid']}",
            json={"code": code_of(secret, frozen_clock)},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["secondFactors"]) == (200, ["totp"])
