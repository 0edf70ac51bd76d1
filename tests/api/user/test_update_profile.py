"""PATCH /api/user/update-profile"""

from __future__ import annotations

from dashboard import storage

ROUTE = "user/update-profile"


def update(user, profile, **body):
    return user.ask({"profileid": profile["profileid"]}, **body)


class TestExceptions:
    class TestInvalidProfileid:
        def test_missing_querystring_profileid(self, error_of, user):
            assert error_of(ROUTE, "patch", user.ask(full_name="x")) == "invalid-profileid"

        def test_invalid_querystring_profileid(self, error_of, user):
            req = user.ask({"profileid": "prof_0000000000000000"}, full_name="x")
            assert error_of(ROUTE, "patch", req) == "invalid-profileid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user, create_profile):
            user, other = create_user(), create_user()
            profile = create_profile(other)
            assert error_of(ROUTE, "patch", update(user, profile, full_name="x")) == (
                "invalid-account"
            )

    class TestRequiredFields:
        def test_a_user_profile_field_cannot_be_cleared(self, error_of, user, create_profile):
            profile = create_profile(user)
            assert error_of(ROUTE, "patch", update(user, profile, full_name="")) == (
                "invalid-full-name"
            )


class TestReceives:
    def test_posted_fields_change_the_others_stay(self, call, user, create_profile):
        profile = create_profile(user, phone="+1 555 0100")
        updated = call(ROUTE, "patch", update(user, profile, full_name="Countess of Lovelace"))
        assert updated["fullName"] == "Countess of Lovelace"
        assert updated["phone"] == "+1 555 0100"
        assert updated["contactEmail"] == "ada@example.com"

    def test_an_empty_optional_field_is_cleared(self, call, user, create_profile):
        profile = create_profile(user, phone="+1 555 0100")
        assert "phone" not in call(ROUTE, "patch", update(user, profile, phone=""))


class TestReturns:
    def test_object(self, call, user, create_profile, frozen_clock):
        profile = create_profile(user)
        frozen_clock.advance(seconds=5)
        updated = call(ROUTE, "patch", update(user, profile, location="London"))
        assert updated == {**profile, "location": "London", "updatedAt": updated["updatedAt"]}
        assert updated["updatedAt"] > profile["updatedAt"]


class TestHttp:
    def test_json_patch(self, client, user, create_profile):
        profile = create_profile(user)
        response = client.patch(
            f"/api/user/update-profile?profileid={profile['profileid']}",
            json={"website": "http://ada.example"},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["website"]) == (200, "http://ada.example")

    def test_malformed_value_is_400_and_writes_nothing(self, app, client, user, create_profile):
        profile = create_profile(user)
        response = client.patch(
            f"/api/user/update-profile?profileid={profile['profileid']}",
            json={"location": "Paris", "website": "ftp://ada.example"},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-website")
        with app.app_context():
            assert storage.Profile.get_by_id(profile["profileid"]).location is None

    def test_another_accounts_is_403(self, client, create_user, create_profile):
        user, other = create_user(), create_user()
        profile = create_profile(other)
        response = client.patch(
            f"/api/user/update-profile?profileid={profile['profileid']}",
            json={"location": "Paris"},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (403, "invalid-account")
