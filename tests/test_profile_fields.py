"""Profile fields: every malformed or over-long value is its own 4xx error and writes
nothing, on create-profile, update-profile and (with REQUIRE_PROFILE) create-account."""

from __future__ import annotations

import pytest

from dashboard import storage
from dashboard.errors import ApiError
from tests.conftest import PROFILE, call_route

# (field, value, code): each field malformed, too short where it can be, and too long
BAD = [
    ("full-name", "Ada\x07", "invalid-full-name"),
    ("full-name", "x" * 51, "invalid-full-name-length"),
    ("contact-email", "no-at-sign", "invalid-contact-email"),
    ("contact-email", "ada@localhost", "invalid-contact-email"),
    ("contact-email", "a" * 1300 + "@example.com", "invalid-contact-email-length"),
    ("display-email", "ada@exa mple.com", "invalid-display-email"),
    ("display-email", "a" * 1300 + "@example.com", "invalid-display-email-length"),
    ("display-name", "Ada\n", "invalid-display-name"),
    ("display-name", "x" * 51, "invalid-display-name-length"),
    ("company-name", "\x00", "invalid-company-name"),
    ("company-name", "x" * 51, "invalid-company-name-length"),
    ("dob", "1915-13-01", "invalid-dob"),
    ("dob", "19151210", "invalid-dob"),
    ("dob", "1899-12-31", "invalid-dob"),
    ("dob", "2999-01-01", "invalid-dob"),
    ("dob", "1" * 1300, "invalid-dob-length"),
    ("phone", "+44 20 abc", "invalid-phone"),
    ("phone", "12", "invalid-phone-length"),
    ("phone", "1" * 31, "invalid-phone-length"),
    ("occupation", "poet\x1b", "invalid-occupation"),
    ("occupation", "x" * 201, "invalid-occupation-length"),
    ("location", "\u2028", "invalid-location"),
    ("location", "x" * 201, "invalid-location-length"),
    ("website", "ftp://example.com", "invalid-website"),
    ("website", "example.com", "invalid-website"),
    ("website", "https://exa mple.com", "invalid-website"),
    ("website", "https://example.com/" + "a" * 2100, "invalid-website-length"),
]


def body(field: str, value: str) -> dict[str, str]:
    return {**PROFILE, field: value}


@pytest.fixture
def profile_app(make_app):
    return make_app(require_profile=True)


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return storage.Account.select().count(), storage.Profile.select().count()


@pytest.mark.parametrize(("field", "value", "code"), BAD)
class TestEveryRouteRefusesEveryBadValue:
    def test_create_profile(self, app, call, client, user, field, value, code):
        req = {**user.req, "query": user.own, "body": body(field, value)}
        with pytest.raises(ApiError, match=f"^{code}$"):
            call("user/create-profile", "post", req)
        response = client.post(
            f"/api/user/create-profile?accountid={user.account['accountid']}",
            json=body(field, value),
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, code)
        assert counts(app)[1] == 0

    def test_update_profile(self, app, call, client, user, create_profile, field, value, code):
        profile = create_profile(user)
        req = {**user.req, "query": {"profileid": profile["profileid"]}, "body": {field: value}}
        with pytest.raises(ApiError, match=f"^{code}$"):
            call("user/update-profile", "patch", req)
        response = client.patch(
            f"/api/user/update-profile?profileid={profile['profileid']}",
            json={"location": "written only if every field is right", field: value},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, code)
        assert call("user/profile", "get", {**user.req, "query": req["query"]}) == profile

    def test_create_account_with_require_profile(self, profile_app, field, value, code):
        posted = {"username": "new-username", "password": "new-password", **body(field, value)}
        with pytest.raises(ApiError, match=f"^{code}$"):
            call_route(profile_app, "user/create-account", "post", {"body": posted})
        response = profile_app.test_client().post("/api/user/create-account", json=posted)
        assert (response.status_code, response.json["message"]) == (400, code)
        assert counts(profile_app) == (0, 0)


class TestRequireProfile:
    def test_missing_user_profile_field_writes_nothing(self, profile_app):
        posted = {"username": "new-username", "password": "new-password", "full-name": "Ada"}
        response = profile_app.test_client().post("/api/user/create-account", json=posted)
        assert (response.status_code, response.json["message"]) == (400, "invalid-contact-email")
        assert counts(profile_app) == (0, 0)

    def test_account_and_default_profile_in_one_write(self, profile_app):
        posted = {"username": "new-username", "password": "new-password", **PROFILE}
        account = profile_app.test_client().post("/api/user/create-account", json=posted).json
        assert account["profileid"].startswith("prof_")
        with profile_app.app_context():
            profile = storage.Profile.get_by_id(account["profileid"])
        assert (profile.full_name, profile.accountid) == ("Ada Lovelace", account["accountid"])

    def test_off_by_default_the_fields_are_ignored(self, app, client):
        posted = {"username": "new-username", "password": "new-password", "dob": "not a date"}
        account = client.post("/api/user/create-account", json=posted).json
        assert account["profileid"] is None
        assert counts(app) == (1, 0)
