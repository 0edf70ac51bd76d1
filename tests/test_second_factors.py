"""Second factors beyond one route: codes across time steps (the clock moved, never
waited for), a code used once on every worker, completions and passkey sign-ins that
race, the administrator who must have one, and what a TOTP completion and a passkey
sign-in cost (no bcrypt)."""

from __future__ import annotations

from collections import Counter

import pytest

from dashboard import security, storage
from tests.conftest import code_of
from tests.servers import all_at_once


def bearer(session) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}


def signed_in(client, user) -> dict:
    credentials = {"username": user.username, "password": user.password}
    return client.post("/api/user/create-session", json=credentials).json


def completing(client, session, **body):
    return client.patch(
        f"/api/user/complete-session?sessionid={session['sessionid']}",
        json={name.replace("_", "-"): value for name, value in body.items()},
        headers=bearer(session),
    )


class TestTimeSteps:
    def test_a_code_holds_one_step_either_side_and_no_further(
        self, client, user, add_totp, frozen_clock
    ):
        secret = add_totp(user)
        for steps, accepted in ((2, False), (-2, False), (1, True)):
            session = signed_in(client, user)
            answered = completing(client, session, code=code_of(secret, frozen_clock, steps))
            assert (answered.status_code == 200) is accepted, steps

    def test_a_code_is_used_once_then_the_next_steps_code_works(
        self, client, user, add_totp, frozen_clock
    ):
        secret = add_totp(user)
        code = code_of(secret, frozen_clock)
        assert completing(client, signed_in(client, user), code=code).status_code == 200
        replayed = completing(client, signed_in(client, user), code=code)
        assert (replayed.status_code, replayed.json["message"]) == (400, "invalid-code")
        frozen_clock.advance(seconds=30)  # the used code is the previous step's now
        assert completing(client, signed_in(client, user), code=code).status_code == 400
        fresh = code_of(secret, frozen_clock)
        assert completing(client, signed_in(client, user), code=fresh).status_code == 200

    def test_a_code_used_on_one_worker_is_refused_on_another(
        self, make_app, user, add_totp, frozen_clock
    ):
        secret = add_totp(user)
        first, second = make_app().test_client(), make_app().test_client()
        code = code_of(secret, frozen_clock)
        assert completing(first, signed_in(first, user), code=code).status_code == 200
        assert completing(second, signed_in(second, user), code=code).status_code == 400


class TestRaces:
    def test_of_two_completions_of_one_session_exactly_one_wins(
        self, app, user, add_totp, frozen_clock
    ):
        secret = add_totp(user)
        session = signed_in(app.test_client(), user)
        code = code_of(secret, frozen_clock)
        answers = all_at_once(
            2, lambda _: completing(app.test_client(), session, code=code).status_code
        )
        assert sorted(answers) == [200, 400]

    def test_of_one_code_given_to_four_sessions_at_once_one_is_completed(
        self, app, user, add_totp, frozen_clock
    ):
        secret = add_totp(user)
        sessions = [signed_in(app.test_client(), user) for _ in range(4)]
        code = code_of(secret, frozen_clock)
        answers = all_at_once(
            4, lambda n: completing(app.test_client(), sessions[n], code=code).status_code
        )
        assert Counter(answers) == {200: 1, 400: 3}

    def test_of_one_passkey_answer_sent_four_times_at_once_one_signs_in(
        self, app, user, add_passkey
    ):
        held = add_passkey(user)
        options = app.test_client().post("/api/user/passkey-sign-in-options").json
        answer = held.get(options)

        def sign_in(_: int) -> int:
            response = app.test_client().post(
                "/api/user/create-session-with-passkey", json={"assertion": answer}
            )
            return response.status_code

        assert Counter(all_at_once(4, sign_in)) == {200: 1, 400: 3}

    def test_a_passkey_answer_used_on_one_worker_is_refused_on_another(
        self, app, make_app, user, add_passkey
    ):
        held = add_passkey(user)
        options = app.test_client().post("/api/user/passkey-sign-in-options").json
        answer = {"assertion": held.get(options)}
        path = "/api/user/create-session-with-passkey"
        assert app.test_client().post(path, json=answer).status_code == 200
        assert make_app().test_client().post(path, json=answer).status_code == 400


class TestAdministrators:
    @pytest.fixture
    def strict(self, make_app):
        return make_app(require_administrator_second_factor=True).test_client()

    def test_one_without_a_second_factor_is_refused(self, strict, administrator):
        refused = strict.get("/api/administrator/accounts", headers=administrator.bearer)
        assert (refused.status_code, refused.json) == (
            403,
            {"object": "auth", "message": "Second factor required"},
        )

    def test_one_with_a_second_factor_signs_in_in_two_steps_then_is_served(
        self, strict, administrator, add_totp, frozen_clock
    ):
        secret = add_totp(administrator)
        session = signed_in(strict, administrator)
        waiting = strict.get("/api/administrator/accounts", headers=bearer(session))
        assert (waiting.status_code, waiting.json["message"]) == (401, "Second factor required")
        assert completing(strict, session, code=code_of(secret, frozen_clock)).status_code == 200
        assert strict.get("/api/administrator/accounts", headers=bearer(session)).status_code == 200

    def test_a_passkey_is_a_second_factor_and_its_sign_in_complete(
        self, strict, administrator, add_passkey
    ):
        held = add_passkey(administrator)
        options = strict.post("/api/user/passkey-sign-in-options").json
        session = strict.post(
            "/api/user/create-session-with-passkey", json={"assertion": held.get(options)}
        ).json
        assert strict.get("/api/administrator/accounts", headers=bearer(session)).status_code == 200

    def test_off_by_default(self, client, administrator):
        assert (
            client.get("/api/administrator/accounts", headers=administrator.bearer).status_code
            == 200
        )


class TestRecords:
    def test_enrolments_and_failures_are_counted(
        self, call, client, user, administrator, add_totp, add_passkey
    ):
        add_totp(user)
        add_passkey(user)
        completing(client, signed_in(client, user), code="000000")
        keys = "second-factors-added/total,second-factor-failures/total"
        counted = call("administrator/metric-keys", "get", administrator.ask({"keys": keys}))
        assert [metric["value"] for metric in counted] == [2, 1]

    def test_an_administrators_reset_is_audited(self, app, call, owner, user, add_totp):
        add_totp(user)
        call("administrator/reset-second-factors", "patch", owner.ask(user.own))
        with app.app_context():
            (row,) = storage.Audit.select()
        assert (row.action, row.accountid) == ("reset-second-factors", user.account["accountid"])

    def test_a_totp_completion_costs_no_bcrypt(
        self, client, user, add_totp, frozen_clock, monkeypatch
    ):
        secret = add_totp(user)
        session = signed_in(client, user)

        def forbidden(*args):
            raise AssertionError("bcrypt during a second step")

        monkeypatch.setattr(security, "check_password", forbidden)
        monkeypatch.setattr(security, "hash_password", forbidden)
        assert completing(client, session, code=code_of(secret, frozen_clock)).status_code == 200

    def test_a_passkey_sign_in_costs_no_bcrypt(self, client, user, add_passkey, monkeypatch):
        held = add_passkey(user)
        options = client.post("/api/user/passkey-sign-in-options").json

        def forbidden(*args):
            raise AssertionError("bcrypt during a passkey sign-in")

        monkeypatch.setattr(security, "check_password", forbidden)
        monkeypatch.setattr(security, "hash_password", forbidden)
        response = client.post(
            "/api/user/create-session-with-passkey", json={"assertion": held.get(options)}
        )
        assert response.status_code == 200
