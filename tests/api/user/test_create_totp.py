"""POST /api/user/create-totp"""

from __future__ import annotations

import pyotp

from dashboard import storage

ROUTE = "user/create-totp"


def create(user, **body):
    return user.ask(user.own, **{"password": user.password, **body})


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            req = user.ask(password=user.password)
            assert error_of(ROUTE, "post", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            req = user.ask(other.own, password=user.password)
            assert error_of(ROUTE, "post", req) == "invalid-account"

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of, user):
            assert error_of(ROUTE, "post", create(user, password="")) == "invalid-password"

        def test_wrong_posted_password(self, error_of, user):
            assert error_of(ROUTE, "post", create(user, password="not-it")) == "invalid-password"

    class TestDuplicateTotp:
        def test_the_account_has_an_authenticator_app_already(self, error_of, user, add_totp):
            add_totp(user)
            assert error_of(ROUTE, "post", create(user)) == "duplicate-totp"


class TestReceives:
    def test_required_posted_password(self, call, user):
        assert call(ROUTE, "post", create(user))["object"] == "totp"


class TestReturns:
    def test_object_with_the_secret_as_text_uri_and_qr_code(self, call, user):
        made = call(ROUTE, "post", create(user))
        assert pyotp.parse_uri(made["otpauthUri"]).secret == made["secret"]
        assert made["otpauthUri"].startswith("otpauth://totp/dashboard:")
        assert made["qrSvg"].startswith("<svg ") and "<title>" in made["qrSvg"]

    def test_the_secret_is_stored_encrypted_bound_to_the_account(self, app, call, user):
        made = call(ROUTE, "post", create(user))
        with app.app_context():
            stored = storage.Totp.get(storage.Totp.totpid == made["totpid"]).secret
        assert made["secret"] not in stored

    def test_a_new_one_replaces_one_not_confirmed(self, app, call, user):
        call(ROUTE, "post", create(user))
        latest = call(ROUTE, "post", create(user))
        with app.app_context():
            assert [row.totpid for row in storage.Totp.select()] == [latest["totpid"]]


class TestHttp:
    def test_post(self, client, user):
        response = client.post(
            f"/api/{ROUTE}?accountid={user.account['accountid']}",
            data={"password": user.password},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["object"]) == (200, "totp")
        assert response.headers["Cache-Control"].startswith("no-store")
