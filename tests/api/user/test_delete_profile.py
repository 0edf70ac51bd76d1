"""DELETE /api/user/delete-profile"""

from __future__ import annotations

ROUTE = "user/delete-profile"


def delete(user, profile):
    return user.ask({"profileid": profile["profileid"]})


class TestExceptions:
    class TestInvalidProfileid:
        def test_missing_querystring_profileid(self, error_of, user):
            assert error_of(ROUTE, "delete", user.ask()) == "invalid-profileid"

        def test_invalid_querystring_profileid(self, error_of, user):
            req = user.ask({"profileid": "invalid"})
            assert error_of(ROUTE, "delete", req) == "invalid-profileid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user, create_profile):
            user, other = create_user(), create_user()
            create_profile(other)
            second = create_profile(other)
            assert error_of(ROUTE, "delete", delete(user, second)) == "invalid-account"

    class TestInvalidProfile:
        def test_the_default_profile(self, error_of, user, create_profile):
            default = create_profile(user)
            assert error_of(ROUTE, "delete", delete(user, default)) == "invalid-profile"


class TestReceives:
    def test_required_querystring_profileid(self, call, user, create_profile):
        create_profile(user)
        second = create_profile(user)
        assert call(ROUTE, "delete", delete(user, second)) is True


class TestReturns:
    def test_true_and_the_profile_is_gone(self, call, error_of, user, create_profile):
        create_profile(user)
        second = create_profile(user)
        assert call(ROUTE, "delete", delete(user, second)) is True
        assert error_of("user/profile", "get", delete(user, second)) == "invalid-profileid"
        assert call("user/profiles-count", "get", user.ask(user.own)) == 1


class TestHttp:
    def test_delete(self, client, user, create_profile):
        create_profile(user)
        second = create_profile(user)
        response = client.delete(
            f"/api/user/delete-profile?profileid={second['profileid']}", headers=user.bearer
        )
        assert (response.status_code, response.get_data().strip()) == (200, b"true")

    def test_the_default_is_400(self, client, user, create_profile):
        default = create_profile(user)
        response = client.delete(
            f"/api/user/delete-profile?profileid={default['profileid']}", headers=user.bearer
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-profile")
