"""DELETE /api/user/delete-totp"""

from __future__ import annotations

ROUTE = "user/delete-totp"


def delete(user, **body):
    return user.ask(user.own, **{"password": user.password, **body})


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert (
                error_of(ROUTE, "delete", user.ask(password=user.password)) == "invalid-accountid"
            )

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            req = user.ask(other.own, password=user.password)
            assert error_of(ROUTE, "delete", req) == "invalid-account"

    class TestInvalidPassword:
        def test_wrong_posted_password(self, error_of, user, add_totp):
            add_totp(user)
            assert error_of(ROUTE, "delete", delete(user, password="no")) == "invalid-password"

    class TestInvalidTotp:
        def test_the_account_has_none(self, error_of, user):
            assert error_of(ROUTE, "delete", delete(user)) == "invalid-totp"


class TestReceives:
    def test_required_posted_password(self, call, user, add_totp):
        add_totp(user)
        assert call(ROUTE, "delete", delete(user))["object"] == "account"


class TestReturns:
    def test_account_without_it(self, call, user, add_totp):
        add_totp(user)
        assert call(ROUTE, "delete", delete(user))["secondFactors"] == []


class TestHttp:
    def test_delete_then_sign_in_in_one_step(self, client, call, user, add_totp):
        add_totp(user)
        response = client.delete(
            f"/api/{ROUTE}?accountid={user.account['accountid']}",
            json={"password": user.password},
            headers=user.bearer,
        )
        assert response.status_code == 200
        signed = client.post(
            "/api/user/create-session", json={"username": user.username, "password": user.password}
        )
        assert "secondFactorRequired" not in signed.json

    def test_a_stale_verification_is_refused(self, client, user, add_totp, frozen_clock, app):
        credentials = {"username": user.username, "password": user.password, "remember": "days"}
        remembered = client.post("/api/user/create-session", json=credentials).json
        add_totp(user)
        frozen_clock.advance(seconds=app.extensions["dashboard"].config.session_verification_delay)
        response = client.delete(
            f"/api/{ROUTE}?accountid={user.account['accountid']}",
            json={"password": user.password},
            headers={"Authorization": f"Bearer {remembered['sessionid']}.{remembered['token']}"},
        )
        assert (response.status_code, response.json["message"]) == (403, "Verification required")
