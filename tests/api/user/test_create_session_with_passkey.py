"""POST /api/user/create-session-with-passkey"""

from __future__ import annotations

import pytest

from dashboard import storage
from tests.authenticator import Authenticator

ROUTE = "user/create-session-with-passkey"


def options(call):
    return call("user/passkey-sign-in-options", "post", {})


def signed_in(call, credential, **body):
    return call(ROUTE, "post", {"body": {"assertion": credential, **body}})


class TestExceptions:
    class TestInvalidAssertion:
        def test_missing_posted_assertion(self, error_of):
            assert error_of(ROUTE, "post", {"body": {}}) == "invalid-assertion"

        def test_not_a_credential(self, error_of):
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": '{"id": 1}'}}) == "invalid-assertion"
            )

        def test_a_passkey_unknown_here(self, call, error_of):
            stranger = Authenticator()
            stranger.create(
                {"rp": {"id": "localhost"}, "user": {"id": "YWJj"}, "challenge": "A" * 43}
            )
            credential = stranger.get(options(call))
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": credential}}) == "invalid-assertion"
            )

        def test_options_never_given(self, error_of, user, add_passkey):
            credential = add_passkey(user).get({"challenge": "A" * 43})
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": credential}}) == "invalid-assertion"
            )

        def test_options_used_once_already(self, call, error_of, user, add_passkey):
            held, given = add_passkey(user), options(call)
            signed_in(call, held.get(given))
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": held.get(given)}})
                == "invalid-assertion"
            )

        def test_options_five_minutes_old(self, call, error_of, user, add_passkey, frozen_clock):
            held, given = add_passkey(user), options(call)
            frozen_clock.advance(seconds=300)
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": held.get(given)}})
                == "invalid-assertion"
            )

        def test_options_to_register(self, call, error_of, user, add_passkey):
            held = add_passkey(user)
            to_register = call(
                "user/create-passkey-options",
                "post",
                user.ask(user.own, username=user.username, password=user.password),
            )
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": held.get(to_register)}})
                == "invalid-assertion"
            )

        def test_another_origin(self, call, error_of, user, add_passkey):
            credential = add_passkey(user).get(options(call), origin="https://evil.example")
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": credential}}) == "invalid-assertion"
            )

        def test_without_user_verification(self, call, error_of, user, add_passkey):
            held = add_passkey(user)
            held.verifies_user = False
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": held.get(options(call))}})
                == "invalid-assertion"
            )

        def test_a_signature_counter_gone_back(self, call, error_of, user, add_passkey):
            held = add_passkey(user)
            signed_in(call, held.get(options(call)))  # its counter is 1 now
            held.credentials[0].sign_count = 0  # a copy of the authenticator, behind
            assert (
                error_of(ROUTE, "post", {"body": {"assertion": held.get(options(call))}})
                == "invalid-assertion"
            )

        def test_a_bad_signature(self, call, error_of, user, add_passkey):
            held = add_passkey(user)
            answer = held.get(options(call)).replace('"signature": "', '"signature": "AAAA')
            assert error_of(ROUTE, "post", {"body": {"assertion": answer}}) == "invalid-assertion"

    class TestInvalidRemember:
        def test_posted_remember_neither_hours_nor_days(self, error_of):
            req = {"body": {"assertion": "{}", "remember": "weeks"}}
            assert error_of(ROUTE, "post", req) == "invalid-remember"

    class TestInvalidCookieOnly:
        def test_posted_cookie_only_neither_true_nor_false(self, error_of):
            req = {"body": {"assertion": "{}", "cookie-only": "yes"}}
            assert error_of(ROUTE, "post", req) == "invalid-cookie-only"

    class TestInvalidAccount:
        def test_account_scheduled_for_deletion(self, app, call, error_of, user, add_passkey):
            held = add_passkey(user)
            call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
            credential = held.get(options(call))
            assert error_of(ROUTE, "post", {"body": {"assertion": credential}}) == "invalid-account"


class TestReceives:
    def test_required_posted_assertion(self, call, user, add_passkey):
        held = add_passkey(user)
        assert signed_in(call, held.get(options(call)))["accountid"] == user.account["accountid"]

    @pytest.mark.parametrize(("remember", "duration"), [("hours", 28800), ("days", 2592000)])
    def test_optional_posted_remember(self, call, user, add_passkey, remember, duration):
        held = add_passkey(user)
        assert signed_in(call, held.get(options(call)), remember=remember)["duration"] == duration

    def test_a_counter_that_stays_zero(self, call, user, add_passkey):
        held = add_passkey(user, Authenticator(counting=False))
        signed_in(call, held.get(options(call)))
        assert signed_in(call, held.get(options(call)))["ended"] is False


class TestReturns:
    def test_a_complete_session_with_its_token(
        self, app, call, user, add_passkey, add_totp, frozen_clock
    ):
        add_totp(user)
        held = add_passkey(user)
        session = signed_in(call, held.get(options(call)))
        assert "secondFactorRequired" not in session and session["token"]
        with app.app_context():
            used = storage.Passkey.get_by_id(held.passkey["passkeyid"])
            assert (used.sign_count, used.last_used_at) == (1, frozen_clock())
        listed = call("user/passkeys", "get", user.ask(user.own))
        assert listed[0]["lastUsedAt"]


class TestHttp:
    def test_sign_in_with_a_passkey_alone(self, client, user, add_passkey):
        held = add_passkey(user)
        given = client.post("/api/user/passkey-sign-in-options").json
        response = client.post(
            f"/api/{ROUTE}", data={"assertion": held.get(given), "remember": "hours"}
        )
        assert response.status_code == 200
        session = response.json
        bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
        account = client.get(
            f"/api/user/account?accountid={user.account['accountid']}", headers=bearer
        )
        assert account.status_code == 200 and account.json["secondFactors"] == ["passkey"]
        assert any(
            cookie.startswith("sessionid=") for cookie in response.headers.getlist("Set-Cookie")
        )

    def test_a_wrong_one_counts_against_the_sign_in_limits(self, make_app):
        app = make_app(ratelimit_enabled=True, create_session_rate_limit="2 per minute")
        client = app.test_client()
        for _ in range(2):
            assert client.post(f"/api/{ROUTE}", json={"assertion": "{}"}).status_code == 400
        assert client.post(f"/api/{ROUTE}", json={"assertion": "{}"}).status_code == 429
