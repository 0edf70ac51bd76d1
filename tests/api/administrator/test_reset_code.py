"""GET /api/administrator/reset-code"""

from __future__ import annotations

ROUTE = "administrator/reset-code"


class TestExceptions:
    class TestInvalidId:
        def test_missing_querystring_codeid(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask()) == "invalid-reset-codeid"

        def test_invalid_querystring_codeid(self, error_of, administrator):
            assert (
                error_of(ROUTE, "get", administrator.ask({"codeid": "x"})) == "invalid-reset-codeid"
            )


class TestReceives:
    def test_required_querystring_codeid_of_anyone(self, call, administrator, user, create_code):
        row = create_code(user)
        fetched = call(ROUTE, "get", administrator.ask({"codeid": row["codeid"]}))
        assert fetched["codeid"] == row["codeid"]


class TestReturns:
    def test_object(self, call, administrator, user, create_code):
        row = create_code(user)
        fetched = call(ROUTE, "get", administrator.ask({"codeid": row["codeid"]}))
        assert fetched["object"] == "resetCode"
        assert fetched == {name: value for name, value in row.items() if name != "secretCode"}


class TestHttp:
    def test_bearer(self, client, administrator, user, create_code):
        row = create_code(user)
        response = client.get(
            f"/api/administrator/reset-code?codeid={row['codeid']}", headers=administrator.bearer
        )
        assert (response.status_code, response.json["accountid"]) == (
            200,
            user.account["accountid"],
        )
