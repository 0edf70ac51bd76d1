"""POST /api/user/create-account"""

from __future__ import annotations

import pytest

from dashboard import storage
from dashboard.errors import ApiError

ROUTE = "user/create-account"
ROUTE_URL = "/api/user/create-account"


def body(username: str = "new-username", password: str = "new-password") -> dict:
    return {"body": {"username": username, "password": password}}


class TestExceptions:
    class TestRegistrationClosed:
        def test_registration_closed(self, make_app):
            from tests.conftest import call_route

            app = make_app(registration="closed")
            with pytest.raises(ApiError, match="^registration-closed$"):
                call_route(app, ROUTE, "post", body())
            with app.app_context():
                assert storage.Account.select().count() == 0

    class TestInvalidUsername:
        def test_missing_posted_username(self, error_of):
            assert error_of(ROUTE, "post", body(username="")) == "invalid-username"

        def test_missing_body(self, error_of):
            assert error_of(ROUTE, "post", {}) == "invalid-username"

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of):
            assert error_of(ROUTE, "post", body(password="")) == "invalid-password"

    class TestInvalidUsernameLength:
        @pytest.mark.parametrize("username", ["12345", "x" * 51])
        def test_posted_username_too_short_or_long(self, error_of, username):
            assert error_of(ROUTE, "post", body(username=username)) == "invalid-username-length"

    class TestInvalidPasswordLength:
        @pytest.mark.parametrize("password", ["1234567", "x" * 129])
        def test_posted_password_too_short_or_long(self, error_of, password):
            assert error_of(ROUTE, "post", body(password=password)) == "invalid-password-length"

    class TestDuplicateUsername:
        def test_username_taken_in_this_appid(self, call, error_of):
            call(ROUTE, "post", body())
            assert (
                error_of(ROUTE, "post", body(password="another-password")) == "duplicate-username"
            )


class TestReceives:
    def test_lengths_are_counted_in_characters(self, call):
        account = call(ROUTE, "post", body(username="ü" * 50, password="密" * 128))
        assert account["object"] == "account"

    def test_lengths_at_the_limits(self, call):
        assert call(ROUTE, "post", body(username="x" * 6, password="y" * 8))["object"] == "account"

    def test_username_may_repeat_in_another_appid(self, call):
        first = call(ROUTE, "post", {**body(), "appid": "one"})
        second = call(ROUTE, "post", {**body(), "appid": "two"})
        assert first["appid"] == "one" and second["appid"] == "two"

    def test_configured_lengths(self, make_app):
        from tests.conftest import call_route

        app = make_app(minimum_username_length=2, maximum_password_length=10)
        assert call_route(app, ROUTE, "post", body(username="ab", password="0123456789"))["object"]


class TestReturns:
    def test_object(self, call, frozen_clock):
        account = call(ROUTE, "post", body())
        assert account["object"] == "account"
        assert account["accountid"].startswith("acct_") and len(account["accountid"]) == 21
        assert account["appid"] == "dashboard"
        assert account["sessionKeyNumber"] == 1
        assert account["createdAt"] == account["updatedAt"]
        assert not {"username", "usernameHash", "password", "passwordHash", "sessionKey"} & set(
            account
        )

    def test_no_account_owns_the_site_by_registering_first(self, call):
        first = call(ROUTE, "post", body())
        assert not {"owner", "ownerSince", "administrator", "administratorSince"} & set(first)

    def test_first_account_owner_makes_the_first_its_owner_and_administrator(self, make_app):
        from tests.conftest import call_route

        app = make_app(first_account_owner=True)
        first = call_route(app, ROUTE, "post", body())
        second = call_route(app, ROUTE, "post", body(username="second-username"))
        assert first["owner"] is True and first["administrator"] is True
        assert first["ownerSince"] == first["administratorSince"] == first["createdAt"]
        assert "owner" not in second and "administrator" not in second
        assert "ownerSince" not in second

    def test_username_is_stored_only_as_a_keyed_hash(self, app, call):
        account = call(ROUTE, "post", body(username="plain-username"))
        with app.app_context():
            row = storage.Account.get_by_id(account["accountid"])
        assert "plain-username" not in str(row.__data__.values())
        assert len(row.username_hash) == 128


class TestHttp:
    def test_form_post(self, client):
        response = client.post(
            ROUTE_URL, data={"username": "form-user", "password": "form-password"}
        )
        assert response.status_code == 200
        assert response.json["object"] == "account"
        assert "Set-Cookie" not in response.headers

    def test_json_post(self, client):
        response = client.post(
            ROUTE_URL, json={"username": "json-user", "password": "json-password"}
        )
        assert response.status_code == 200

    def test_registration_closed_is_403_and_writes_nothing(self, make_app):
        app = make_app(registration="closed")
        response = app.test_client().post(
            ROUTE_URL, json={"username": "would-be-user", "password": "would-be-password"}
        )
        assert (response.status_code, response.json) == (
            403,
            {"object": "error", "message": "registration-closed"},
        )
        with app.app_context():
            assert storage.Account.select().count() == 0

    def test_duplicate_username_is_409(self, client):
        client.post(ROUTE_URL, json={"username": "taken-user", "password": "password1"})
        response = client.post(ROUTE_URL, json={"username": "taken-user", "password": "password2"})
        assert response.status_code == 409
        assert response.json == {
            "object": "error",
            "message": "duplicate-username",
            "field": "username",
        }

    @pytest.mark.parametrize(
        ("data", "code", "field"),
        [
            ({"password": "password"}, "invalid-username", "username"),
            ({"username": "username"}, "invalid-password", "password"),
            ({"username": "short", "password": "password"}, "invalid-username-length", "username"),
            ({"username": "username", "password": "short"}, "invalid-password-length", "password"),
        ],
    )
    def test_errors_are_400_naming_the_field(self, app, client, data, code, field):
        response = client.post(ROUTE_URL, data=data)
        assert response.status_code == 400
        assert response.json == {"object": "error", "message": code, "field": field}
        with app.app_context():
            assert storage.Account.select().count() == 0
