"""POST /api/user/create-passkey-options"""

from __future__ import annotations

from webauthn.helpers import bytes_to_base64url

from tests.authenticator import Authenticator

ROUTE = "user/create-passkey-options"


def ask(user, **body):
    return user.ask(user.own, **{"username": user.username, "password": user.password, **body})


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            req = user.ask(username=user.username, password=user.password)
            assert error_of(ROUTE, "post", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            req = user.ask(other.own, username=user.username, password=user.password)
            assert error_of(ROUTE, "post", req) == "invalid-account"

    class TestInvalidUsername:
        def test_missing_posted_username(self, error_of, user):
            assert error_of(ROUTE, "post", ask(user, username="")) == "invalid-username"

        def test_another_accounts_username(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "post", ask(user, username=other.username)) == "invalid-username"

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of, user):
            assert error_of(ROUTE, "post", ask(user, password="")) == "invalid-password"

        def test_wrong_posted_password(self, error_of, user):
            assert error_of(ROUTE, "post", ask(user, password="not-it")) == "invalid-password"


class TestReceives:
    def test_required_posted_username_and_password(self, call, user):
        assert call(ROUTE, "post", ask(user))["user"]["name"] == user.username


class TestReturns:
    def test_options_for_a_discoverable_credential_with_user_verification(self, call, user):
        options = call(ROUTE, "post", ask(user))
        assert options["rp"] == {"id": "localhost", "name": "dashboard"}
        assert options["authenticatorSelection"]["residentKey"] == "required"
        assert options["authenticatorSelection"]["userVerification"] == "required"
        assert options["excludeCredentials"] == []

    def test_a_new_challenge_each_time(self, call, user):
        assert (
            call(ROUTE, "post", ask(user))["challenge"]
            != call(ROUTE, "post", ask(user))["challenge"]
        )

    def test_its_passkeys_excluded(self, call, user, add_passkey):
        held = add_passkey(user)
        excluded = call(ROUTE, "post", ask(user))["excludeCredentials"]
        assert [item["id"] for item in excluded] == [
            bytes_to_base64url(held.credentials[0].credential_id)
        ]


class TestHttp:
    def test_register_over_http_with_the_hosts_relying_party(self, client, user):
        query = f"?accountid={user.account['accountid']}"
        response = client.post(
            f"/api/{ROUTE}{query}",
            json={"username": user.username, "password": user.password},
            headers=user.bearer,
            base_url="http://sign-in.localhost:8080",
        )
        assert response.status_code == 200
        assert response.json["rp"]["id"] == "sign-in.localhost"
        made = Authenticator(origin="http://sign-in.localhost:8080").create(response.json)
        created = client.post(
            f"/api/user/create-passkey{query}",
            json={"credential": made, "name": "Laptop"},
            headers=user.bearer,
            base_url="http://sign-in.localhost:8080",
        )
        assert (created.status_code, created.json["name"]) == (200, "Laptop")

    def test_the_configured_relying_party(self, make_app, user):
        app = make_app(webauthn_rp_id="app.example", webauthn_origins=("https://app.example",))
        response = app.test_client().post(
            f"/api/{ROUTE}?accountid={user.account['accountid']}",
            json={"username": user.username, "password": user.password},
            headers=user.bearer,
        )
        assert response.json["rp"]["id"] == "app.example"
