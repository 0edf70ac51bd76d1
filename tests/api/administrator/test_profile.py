"""GET /api/administrator/profile"""

from __future__ import annotations

ROUTE = "administrator/profile"


class TestExceptions:
    class TestInvalidId:
        def test_missing_querystring_profileid(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask()) == "invalid-profileid"

        def test_invalid_querystring_profileid(self, error_of, administrator):
            assert (
                error_of(ROUTE, "get", administrator.ask({"profileid": "x"})) == "invalid-profileid"
            )


class TestReceives:
    def test_required_querystring_profileid_of_anyone(
        self, call, administrator, user, create_profile
    ):
        row = create_profile(user)
        fetched = call(ROUTE, "get", administrator.ask({"profileid": row["profileid"]}))
        assert fetched["profileid"] == row["profileid"]


class TestReturns:
    def test_object(self, call, administrator, user, create_profile):
        row = create_profile(user)
        fetched = call(ROUTE, "get", administrator.ask({"profileid": row["profileid"]}))
        assert fetched["object"] == "profile"
        assert fetched == {name: value for name, value in row.items() if name != "secretCode"}


class TestHttp:
    def test_bearer(self, client, administrator, user, create_profile):
        row = create_profile(user)
        response = client.get(
            f"/api/administrator/profile?profileid={row['profileid']}", headers=administrator.bearer
        )
        assert (response.status_code, response.json["accountid"]) == (
            200,
            user.account["accountid"],
        )
