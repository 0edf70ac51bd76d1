"""GET /api/user/profile"""

from __future__ import annotations

ROUTE = "user/profile"


class TestExceptions:
    class TestInvalidProfileid:
        def test_missing_querystring_profileid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-profileid"

        def test_invalid_querystring_profileid(self, error_of, user):
            req = user.ask({"profileid": "prof_0000000000000000"})
            assert error_of(ROUTE, "get", req) == "invalid-profileid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user, create_profile):
            user, other = create_user(), create_user()
            profile = create_profile(other)
            req = user.ask({"profileid": profile["profileid"]})
            assert error_of(ROUTE, "get", req) == "invalid-account"


class TestReceives:
    def test_required_querystring_profileid(self, call, user, create_profile):
        profile = create_profile(user)
        assert call(ROUTE, "get", user.ask({"profileid": profile["profileid"]})) == profile


class TestReturns:
    def test_object(self, call, user, create_profile):
        profile = create_profile(user, display_name="Ada")
        fetched = call(ROUTE, "get", user.ask({"profileid": profile["profileid"]}))
        assert fetched["object"] == "profile"
        assert fetched["displayName"] == "Ada"


class TestHttp:
    def test_bearer(self, client, user, create_profile):
        profile = create_profile(user)
        response = client.get(
            f"/api/user/profile?profileid={profile['profileid']}", headers=user.bearer
        )
        assert (response.status_code, response.json) == (200, profile)

    def test_unknown_is_400(self, client, user):
        response = client.get("/api/user/profile?profileid=prof_%00", headers=user.bearer)
        assert (response.status_code, response.json["message"]) == (400, "invalid-profileid")
