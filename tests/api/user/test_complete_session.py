"""PATCH /api/user/complete-session"""

from __future__ import annotations

import pytest

from tests.conftest import code_of

ROUTE = "user/complete-session"


@pytest.fixture
def waiting(call, user, add_totp):
    """``user`` with an authenticator app, signed in by password: (the waiting Session,
    the app's secret)."""
    secret = add_totp(user)
    body = {"username": user.username, "password": user.password}
    return call("user/create-session", "post", {"body": body}), secret


def complete(user, session, **body):
    return {
        "account": user.account,
        "session": session,
        "query": {"sessionid": session["sessionid"]},
        "body": {name.replace("_", "-"): value for name, value in body.items()},
    }


class TestExceptions:
    class TestInvalidSessionid:
        def test_missing_querystring_sessionid(self, error_of, user, waiting):
            req = {**complete(user, waiting[0], code="123456"), "query": {}}
            assert error_of(ROUTE, "patch", req) == "invalid-sessionid"

    class TestInvalidAccount:
        def test_another_accounts_session(self, error_of, create_user, waiting, user):
            other = create_user()
            req = complete(other, waiting[0], code="123456")
            assert error_of(ROUTE, "patch", req) == "invalid-account"

    class TestInvalidSession:
        def test_a_complete_session(self, error_of, user):
            req = complete(user, user.session, code="123456")
            assert error_of(ROUTE, "patch", req) == "invalid-session"

        def test_waiting_over_five_minutes(self, error_of, user, waiting, frozen_clock):
            session, secret = waiting
            frozen_clock.advance(minutes=5)
            req = complete(user, session, code=code_of(secret, frozen_clock))
            assert error_of(ROUTE, "patch", req) == "invalid-session"

    class TestInvalidCode:
        def test_missing_posted_code_and_secret_code(self, error_of, user, waiting):
            assert error_of(ROUTE, "patch", complete(user, waiting[0])) == "invalid-code"

        def test_wrong_posted_code(self, error_of, user, waiting, frozen_clock):
            session, secret = waiting
            wrong = code_of(secret, frozen_clock, steps=5)
            assert error_of(ROUTE, "patch", complete(user, session, code=wrong)) == "invalid-code"

        def test_a_code_used_already(self, error_of, call, user, waiting, frozen_clock):
            session, secret = waiting
            frozen_clock.advance(seconds=-30)  # the confirming code's step: used
            req = complete(user, session, code=code_of(secret, frozen_clock))
            assert error_of(ROUTE, "patch", req) == "invalid-code"

        def test_wrong_posted_secret_code(self, error_of, user, waiting):
            req = complete(user, waiting[0], secret_code="not-a-code-of-it")
            assert error_of(ROUTE, "patch", req) == "invalid-code"

        def test_the_fifth_wrong_one_ends_the_session(self, error_of, user, waiting, frozen_clock):
            session, secret = waiting
            for _ in range(5):
                req = complete(user, session, code="000000")
                assert error_of(ROUTE, "patch", req) == "invalid-code"
            right = complete(user, session, code=code_of(secret, frozen_clock))
            assert error_of(ROUTE, "patch", right) == "invalid-session"

        def test_a_passkey_of_another_account(
            self, call, error_of, user, waiting, create_user, add_passkey
        ):
            other = create_user()
            theirs = add_passkey(other)
            options = call("user/passkey-sign-in-options", "post", {})
            req = complete(user, waiting[0], assertion=theirs.get(options))
            assert error_of(ROUTE, "patch", req) == "invalid-code"

        def test_a_passkey_answer_to_no_options_given(self, error_of, user, waiting, add_passkey):
            held = add_passkey(user)
            made_up = {"challenge": "A" * 43}
            req = complete(user, waiting[0], assertion=held.get(made_up))
            assert error_of(ROUTE, "patch", req) == "invalid-code"


class TestReceives:
    def test_optional_posted_code(self, call, user, waiting, frozen_clock):
        session, secret = waiting
        completed = call(
            ROUTE, "patch", complete(user, session, code=code_of(secret, frozen_clock))
        )
        assert "secondFactorRequired" not in completed

    def test_optional_posted_secret_code_used_up(self, call, error_of, user, create_code, add_totp):
        code = create_code(user, "recoverycode1234")["secretCode"]
        add_totp(user)
        body = {"username": user.username, "password": user.password}
        first = call("user/create-session", "post", {"body": body})
        assert "secondFactorRequired" not in call(
            ROUTE, "patch", complete(user, first, secret_code=code)
        )
        second = call("user/create-session", "post", {"body": body})
        req = complete(user, second, secret_code=code)
        assert error_of(ROUTE, "patch", req) == "invalid-code"

    def test_optional_posted_assertion_of_a_passkey(self, call, user, add_passkey):
        held = add_passkey(user)
        body = {"username": user.username, "password": user.password}
        session = call("user/create-session", "post", {"body": body})
        assert session["secondFactorRequired"] is True  # a passkey is a second factor too
        options = call("user/passkey-sign-in-options", "post", {})
        completed = call(ROUTE, "patch", complete(user, session, assertion=held.get(options)))
        assert "secondFactorRequired" not in completed


class TestReturns:
    def test_session_complete(self, call, user, waiting, frozen_clock):
        session, secret = waiting
        assert session["secondFactorRequired"] is True
        completed = call(
            ROUTE, "patch", complete(user, session, code=code_of(secret, frozen_clock))
        )
        assert (completed["sessionid"], completed["ended"]) == (session["sessionid"], False)
        assert "secondFactorRequired" not in completed and "token" not in completed


class TestHttp:
    def test_a_waiting_session_authenticates_nothing_but_its_completion(
        self, client, user, add_totp, frozen_clock
    ):
        secret = add_totp(user)
        credentials = {"username": user.username, "password": user.password}
        session = client.post("/api/user/create-session", json=credentials).json
        assert session["secondFactorRequired"] is True
        bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
        account = f"/api/user/account?accountid={user.account['accountid']}"
        refused = client.get(account, headers=bearer)
        assert (refused.status_code, refused.json["message"]) == (401, "Second factor required")
        assert client.get("/api/verify", headers=bearer).status_code == 401
        completed = client.patch(
            f"/api/{ROUTE}?sessionid={session['sessionid']}",
            json={"code": code_of(secret, frozen_clock)},
            headers=bearer,
        )
        assert completed.status_code == 200
        assert client.get(account, headers=bearer).status_code == 200
