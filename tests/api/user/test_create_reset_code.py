"""POST /api/user/create-reset-code"""

from __future__ import annotations

import pytest

from dashboard import resetcodes, storage
from dashboard.errors import ApiError
from tests.conftest import call_route

ROUTE = "user/create-reset-code"
CODE = "abcdef1234567890"


def create(user, **body):
    return user.ask(user.own, **{"password": user.password, **body})


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "post", user.ask(password=user.password)) == (
                "invalid-accountid"
            )

        def test_invalid_querystring_accountid(self, error_of, user):
            req = user.ask({"accountid": "invalid"}, password=user.password)
            assert error_of(ROUTE, "post", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            req = user.ask(other.own, password=user.password)
            assert error_of(ROUTE, "post", req) == "invalid-account"

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of, user):
            assert error_of(ROUTE, "post", create(user, password="")) == "invalid-password"

        def test_wrong_posted_password(self, error_of, user):
            req = create(user, password="wrong-password")
            assert error_of(ROUTE, "post", req) == "invalid-password"

    class TestInvalidSecretCode:
        def test_posted_secret_code_not_letters_and_digits(self, error_of, user):
            for code in ("abc-defghijk", "abcdefghij\x00", "äbcdefghijk"):
                req = create(user, secret_code=code)
                assert error_of(ROUTE, "post", req) == "invalid-secret-code"

    class TestInvalidSecretCodeLength:
        def test_posted_secret_code_too_short_or_long(self, error_of, user):
            for code in ("abc123", "a" * 101):
                req = create(user, secret_code=code)
                assert error_of(ROUTE, "post", req) == "invalid-secret-code-length"

    class TestMaximumResetCodes:
        def test_the_account_already_holds_maximum_reset_codes(self, make_app, user):
            app = make_app(maximum_reset_codes=2)
            for _ in range(2):
                call_route(app, ROUTE, "post", create(user))
            with pytest.raises(ApiError, match="^maximum-reset-codes$"):
                call_route(app, ROUTE, "post", create(user))


class TestReceives:
    def test_optional_posted_secret_code(self, app, call, user):
        code = call(ROUTE, "post", create(user, secret_code=CODE))
        assert "secretCode" not in code  # the caller knows its own code
        with app.app_context():
            row = storage.ResetCode.get_by_id(code["codeid"])
            assert row.code_hash == resetcodes.code_hash(user.account["accountid"], CODE)

    def test_without_one_the_server_chooses_160_random_bits(self, call, user):
        first = call(ROUTE, "post", create(user))["secretCode"]
        second = call(ROUTE, "post", create(user))["secretCode"]
        assert len(first) == 40 and int(first, 16) and first != second


class TestReturns:
    def test_object(self, call, user, frozen_clock):
        code = call(ROUTE, "post", create(user, secret_code=CODE))
        assert code == {
            "codeid": code["codeid"],
            "object": "resetCode",
            "appid": "dashboard",
            "accountid": user.account["accountid"],
            "createdAt": code["createdAt"],
            "updatedAt": code["createdAt"],
        }

    def test_code_is_stored_only_as_a_keyed_hash(self, app, call, user):
        code = call(ROUTE, "post", create(user))
        with app.app_context():
            row = storage.ResetCode.get_by_id(code["codeid"])
        assert code["secretCode"] not in str(row.__data__.values())

    def test_stamps_the_accounts_reset_code_last_created_at(self, call, user, frozen_clock):
        code = call(ROUTE, "post", create(user))
        account = call("user/account", "get", user.ask(user.own))
        assert account["resetCodeLastCreatedAt"] == code["createdAt"]


class TestHttp:
    URL = "/api/user/create-reset-code?accountid={}"

    def test_form_post(self, client, user):
        response = client.post(
            self.URL.format(user.account["accountid"]),
            data={"password": user.password},
            headers=user.bearer,
        )
        assert response.status_code == 200
        assert len(response.json["secretCode"]) == 40

    def test_a_session_alone_is_not_enough(self, client, user):
        response = client.post(
            self.URL.format(user.account["accountid"]), json={}, headers=user.bearer
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-password")

    def test_maximum_reset_codes_is_400(self, make_app, user):
        client = make_app(maximum_reset_codes=1).test_client()
        url = self.URL.format(user.account["accountid"])
        body = {"password": user.password}
        assert client.post(url, json=body, headers=user.bearer).status_code == 200
        response = client.post(url, json=body, headers=user.bearer)
        assert (response.status_code, response.json["message"]) == (400, "maximum-reset-codes")
