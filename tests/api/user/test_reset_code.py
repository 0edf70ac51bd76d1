"""GET /api/user/reset-code"""

from __future__ import annotations

ROUTE = "user/reset-code"


class TestExceptions:
    class TestInvalidResetCodeid:
        def test_missing_querystring_codeid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-reset-codeid"

        def test_invalid_querystring_codeid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({"codeid": "x"})) == "invalid-reset-codeid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user, create_code):
            user, other = create_user(), create_user()
            code = create_code(other)
            req = user.ask({"codeid": code["codeid"]})
            assert error_of(ROUTE, "get", req) == "invalid-account"


class TestReceives:
    def test_required_querystring_codeid(self, call, user, create_code):
        code = create_code(user)
        assert call(ROUTE, "get", user.ask({"codeid": code["codeid"]}))["codeid"] == code["codeid"]


class TestReturns:
    def test_object_never_the_code(self, call, user, create_code):
        code = create_code(user)
        fetched = call(ROUTE, "get", user.ask({"codeid": code["codeid"]}))
        assert fetched == {name: value for name, value in code.items() if name != "secretCode"}
        assert code["secretCode"] not in str(fetched)


class TestHttp:
    def test_bearer(self, client, user, create_code):
        code = create_code(user)
        response = client.get(f"/api/user/reset-code?codeid={code['codeid']}", headers=user.bearer)
        assert (response.status_code, response.json["object"]) == (200, "resetCode")

    def test_unknown_is_400(self, client, user):
        response = client.get("/api/user/reset-code?codeid=code_%00", headers=user.bearer)
        assert (response.status_code, response.json["message"]) == (400, "invalid-reset-codeid")
