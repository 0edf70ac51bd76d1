"""DELETE /api/user/delete-passkey"""

from __future__ import annotations

ROUTE = "user/delete-passkey"


class TestExceptions:
    class TestInvalidPasskeyid:
        def test_missing_querystring_passkeyid(self, error_of, user):
            assert error_of(ROUTE, "delete", user.ask()) == "invalid-passkeyid"

        def test_a_passkey_deleted_already(self, call, error_of, user, add_passkey):
            req = user.ask({"passkeyid": add_passkey(user).passkey["passkeyid"]})
            call(ROUTE, "delete", req)
            assert error_of(ROUTE, "delete", req) == "invalid-passkeyid"

    class TestInvalidAccount:
        def test_another_accounts_passkey(self, error_of, create_user, add_passkey):
            user, other = create_user(), create_user()
            req = user.ask({"passkeyid": add_passkey(other).passkey["passkeyid"]})
            assert error_of(ROUTE, "delete", req) == "invalid-account"


class TestReceives:
    def test_required_querystring_passkeyid(self, call, user, add_passkey):
        req = user.ask({"passkeyid": add_passkey(user).passkey["passkeyid"]})
        assert call(ROUTE, "delete", req) is True


class TestReturns:
    def test_true_and_the_account_without_one_more(self, call, user, add_passkey):
        held = add_passkey(user)
        first = held.passkey
        second = add_passkey(user, held).passkey
        call(ROUTE, "delete", user.ask({"passkeyid": second["passkeyid"]}))
        assert call("user/account", "get", user.ask(user.own))["secondFactors"] == ["passkey"]
        call(ROUTE, "delete", user.ask({"passkeyid": first["passkeyid"]}))
        assert call("user/account", "get", user.ask(user.own))["secondFactors"] == []


class TestHttp:
    def test_its_passkey_signs_in_no_more(self, client, call, user, add_passkey):
        held = add_passkey(user)
        response = client.delete(
            f"/api/{ROUTE}?passkeyid={held.passkey['passkeyid']}", headers=user.bearer
        )
        assert (response.status_code, response.json) == (200, True)
        options = client.post("/api/user/passkey-sign-in-options").json
        signed = client.post(
            "/api/user/create-session-with-passkey", json={"assertion": held.get(options)}
        )
        assert (signed.status_code, signed.json["message"]) == (400, "invalid-assertion")

    def test_a_stale_verification_is_refused(self, client, user, add_passkey, frozen_clock, app):
        credentials = {"username": user.username, "password": user.password, "remember": "days"}
        remembered = client.post("/api/user/create-session", json=credentials).json
        held = add_passkey(user)
        delay = app.extensions["dashboard"].config.session_verification_delay
        frozen_clock.advance(seconds=delay + 1)
        response = client.delete(
            f"/api/{ROUTE}?passkeyid={held.passkey['passkeyid']}",
            headers={"Authorization": f"Bearer {remembered['sessionid']}.{remembered['token']}"},
        )
        assert (response.status_code, response.json["message"]) == (403, "Verification required")
