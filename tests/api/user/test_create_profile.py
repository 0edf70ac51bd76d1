"""POST /api/user/create-profile"""

from __future__ import annotations

import pytest

from dashboard import storage
from dashboard.errors import ApiError
from tests.conftest import PROFILE, call_route

ROUTE = "user/create-profile"


def create(user, query=None, **body):
    posted = {**PROFILE, **{name.replace("_", "-"): value for name, value in body.items()}}
    return {**user.req, "query": user.own if query is None else query, "body": posted}


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "post", create(user, query={})) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            req = create(user, query={"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "post", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "post", create(user, query=other.own)) == "invalid-account"

    class TestInvalidDefault:
        def test_posted_default_neither_true_nor_false(self, error_of, user):
            assert error_of(ROUTE, "post", create(user, default="yes")) == "invalid-default"

    class TestRequiredFields:
        def test_missing_posted_full_name(self, error_of, user):
            assert error_of(ROUTE, "post", create(user, full_name="")) == "invalid-full-name"

        def test_missing_posted_contact_email(self, error_of, user):
            req = create(user, contact_email="")
            assert error_of(ROUTE, "post", req) == "invalid-contact-email"

        def test_configured_required_fields(self, make_app, user):
            app = make_app(user_profile_fields=("dob",))
            req = {**user.req, "query": user.own, "body": {"phone": "+44 1234"}}
            with pytest.raises(ApiError, match="invalid-dob"):
                call_route(app, ROUTE, "post", req)


class TestReceives:
    def test_every_optional_field(self, call, user, frozen_clock):
        profile = call(
            ROUTE,
            "post",
            create(
                user,
                display_name="Ada",
                display_email="Ada@Example.COM",
                company_name="Analytical Engines",
                dob="1915-12-10",
                phone="+44 (20) 7946-0000",
                occupation="mathematician",
                location="London",
                website="https://example.com/ada",
            ),
        )
        assert profile["displayName"] == "Ada"
        assert profile["displayEmail"] == "Ada@example.com"  # as email-validator normalises it
        assert profile["companyName"] == "Analytical Engines"
        assert profile["dob"] == "1915-12-10"
        assert profile["phone"] == "+44 (20) 7946-0000"
        assert (profile["occupation"], profile["location"]) == ("mathematician", "London")
        assert profile["website"] == "https://example.com/ada"

    def test_optional_posted_default(self, call, user, create_profile):
        first = create_profile(user)
        second = call(ROUTE, "post", create(user, default="true"))
        account = call("user/account", "get", {**user.req, "query": user.own})
        assert account["profileid"] == second["profileid"] != first["profileid"]

    def test_empty_optional_fields_are_not_set(self, call, user):
        profile = call(ROUTE, "post", create(user, phone="", website=""))
        assert "phone" not in profile and "website" not in profile


class TestReturns:
    def test_object(self, call, user, frozen_clock):
        profile = call(ROUTE, "post", create(user))
        assert profile == {
            "profileid": profile["profileid"],
            "object": "profile",
            "appid": "dashboard",
            "accountid": user.account["accountid"],
            "fullName": "Ada Lovelace",
            "contactEmail": "ada@example.com",
            "createdAt": profile["createdAt"],
            "updatedAt": profile["createdAt"],
        }
        assert profile["profileid"].startswith("prof_")

    def test_first_profile_becomes_the_default(self, call, user):
        profile = call(ROUTE, "post", create(user))
        account = call("user/account", "get", {**user.req, "query": user.own})
        assert account["profileid"] == profile["profileid"]

    def test_later_profiles_leave_the_default(self, call, user, create_profile):
        first = create_profile(user)
        call(ROUTE, "post", create(user, default="false"))
        account = call("user/account", "get", {**user.req, "query": user.own})
        assert account["profileid"] == first["profileid"]


class TestHttp:
    URL = "/api/user/create-profile?accountid={}"

    def test_form_post(self, client, user):
        response = client.post(
            self.URL.format(user.account["accountid"]), data=PROFILE, headers=user.bearer
        )
        assert response.status_code == 200
        assert response.json["fullName"] == "Ada Lovelace"

    def test_malformed_email_is_400_and_writes_nothing(self, app, client, user):
        response = client.post(
            self.URL.format(user.account["accountid"]),
            json={**PROFILE, "contact-email": "not-an-email"},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-contact-email")
        with app.app_context():
            assert storage.Profile.select().count() == 0

    def test_another_accounts_is_403(self, client, create_user):
        user, other = create_user(), create_user()
        response = client.post(
            self.URL.format(other.account["accountid"]), json=PROFILE, headers=user.bearer
        )
        assert (response.status_code, response.json["message"]) == (403, "invalid-account")

    def test_signed_out_is_401(self, client, user):
        url = self.URL.format(user.account["accountid"])
        assert client.post(url, json=PROFILE).status_code == 401
