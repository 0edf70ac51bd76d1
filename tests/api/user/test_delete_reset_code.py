"""DELETE /api/user/delete-reset-code"""

from __future__ import annotations

ROUTE = "user/delete-reset-code"


class TestExceptions:
    class TestInvalidResetCodeid:
        def test_missing_querystring_codeid(self, error_of, user):
            assert error_of(ROUTE, "delete", user.ask()) == "invalid-reset-codeid"

        def test_invalid_querystring_codeid(self, error_of, user):
            req = user.ask({"codeid": "code_0000000000000000"})
            assert error_of(ROUTE, "delete", req) == "invalid-reset-codeid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user, create_code):
            user, other = create_user(), create_user()
            code = create_code(other)
            assert error_of(ROUTE, "delete", user.ask({"codeid": code["codeid"]})) == (
                "invalid-account"
            )


class TestReceives:
    def test_required_querystring_codeid(self, call, user, create_code):
        code = create_code(user)
        assert call(ROUTE, "delete", user.ask({"codeid": code["codeid"]})) is True


class TestReturns:
    def test_true_and_the_code_is_gone(self, call, error_of, user, create_code):
        code = create_code(user)
        call(ROUTE, "delete", user.ask({"codeid": code["codeid"]}))
        assert error_of("user/reset-code", "get", user.ask({"codeid": code["codeid"]})) == (
            "invalid-reset-codeid"
        )

    def test_a_deleted_code_resets_nothing(self, call, error_of, user, create_code):
        code = create_code(user)
        call(ROUTE, "delete", user.ask({"codeid": code["codeid"]}))
        body = {"username": user.username, "new-password": "a-new-password"}
        req = {"body": {**body, "secret-code": code["secretCode"]}}
        assert error_of("user/reset-account-password", "patch", req) == "invalid-reset-code"


class TestHttp:
    def test_delete(self, client, user, create_code):
        code = create_code(user)
        response = client.delete(
            f"/api/user/delete-reset-code?codeid={code['codeid']}", headers=user.bearer
        )
        assert (response.status_code, response.get_data().strip()) == (200, b"true")

    def test_another_accounts_is_403(self, client, create_user, create_code):
        user, other = create_user(), create_user()
        code = create_code(other)
        response = client.delete(
            f"/api/user/delete-reset-code?codeid={code['codeid']}", headers=user.bearer
        )
        assert (response.status_code, response.json["message"]) == (403, "invalid-account")
