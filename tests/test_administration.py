"""Administering a site: who may call the administrator routes, fresh verification for
the dangerous writes, the audit trail, the break-glass commands, exact metrics, and the
rules that keep one owner however requests race."""

from __future__ import annotations

import json
import logging
import threading

import pytest

from dashboard import access, reference, storage
from tests.conftest import promoted
from tests.servers import all_at_once

ADMINISTRATOR_ROUTES = [route for route in reference.routes() if route.kind == "administrator"]
VERIFIED_ROUTES = [route for route in ADMINISTRATOR_ROUTES if route.verified]
DANGEROUS = {
    "create-reset-code",
    "reset-session-key",
    "set-account-administrator",
    "reset-account-administrator",
    "set-owner-account",
    "set-account-deleted",
    "delete-account",
    "reset-second-factors",
}


def is_auth(answer) -> bool:
    return isinstance(answer, dict) and answer.get("object") == "auth"


def send(client, route, headers, accountid="acct_0000000000000000"):
    method = route.methods[0]
    return getattr(client, method)(f"{route.url}?accountid={accountid}", headers=headers)


@pytest.mark.parametrize("route", ADMINISTRATOR_ROUTES, ids=lambda route: route.name)
def test_permission_matrix(client, owner, administrator, user, route):
    guest = send(client, route, {})
    assert (guest.status_code, guest.json) == (
        401,
        {"object": "auth", "message": "Sign in required"},
    )
    plain = send(client, route, user.bearer)
    assert (plain.status_code, plain.json) == (
        403,
        {"object": "auth", "message": "Administrator required"},
    )
    for allowed in (administrator, owner):
        answer = send(client, route, allowed.bearer)
        assert answer.status_code not in (401, 500)
        assert not is_auth(answer.json), answer.json


def test_the_dangerous_writes_are_the_ones_marked_verified():
    assert {route.slug for route in VERIFIED_ROUTES} == DANGEROUS


class TestNoOneTakesOverTheSite:
    """An administrator, freshly verified, tries what the rank rule forbids."""

    def signs_in(self, client, user) -> bool:
        credentials = {"username": user.username, "password": user.password}
        return client.post("/api/user/create-session", json=credentials).status_code == 200

    @pytest.mark.parametrize("victim", ["owner", "other administrator"])
    def test_a_reset_code_of_its_choosing_for_a_higher_or_equal_account(
        self, app, client, owner, administrator, create_user, victim
    ):
        target = owner if victim == "owner" else promoted(app, create_user())
        planted = client.post(
            f"/api/administrator/create-reset-code?accountid={target.account['accountid']}",
            json={"secret-code": "takeover1234"},
            headers=administrator.bearer,
        )
        assert (planted.status_code, planted.json["message"]) == (403, "invalid-account")
        taken = client.patch(
            "/api/user/reset-account-password",
            json={
                "username": target.username,
                "new-password": "the-attackers-now",
                "secret-code": "takeover1234",
            },
        )
        assert (taken.status_code, taken.json["message"]) == (400, "invalid-reset-code")
        assert self.signs_in(client, target)

    def test_ending_the_owners_sessions_again_and_again(self, client, owner, administrator):
        url = f"/api/administrator/reset-session-key?accountid={owner.account['accountid']}"
        for _ in range(3):
            answer = client.patch(url, headers=administrator.bearer)
            assert (answer.status_code, answer.json["message"]) == (403, "invalid-account")
        mine = f"/api/user/account?accountid={owner.account['accountid']}"
        assert client.get(mine, headers=owner.bearer).status_code == 200

    def test_the_owner_still_helps_an_administrator(self, client, owner, administrator):
        helped = client.post(
            f"/api/administrator/create-reset-code?accountid={administrator.account['accountid']}",
            headers=owner.bearer,
        )
        assert helped.status_code == 200
        reset = client.patch(
            "/api/user/reset-account-password",
            json={
                "username": administrator.username,
                "new-password": "helped-by-the-owner",
                "secret-code": helped.json["secretCode"],
            },
        )
        assert (reset.status_code, reset.json) == (200, True)


class TestFreshVerification:
    @pytest.fixture
    def strict(self, make_app):
        return make_app(session_verification_delay=60).test_client()

    @pytest.mark.parametrize("route", VERIFIED_ROUTES, ids=lambda route: route.name)
    def test_a_stale_verification_is_refused_until_verified_again(
        self, strict, frozen_clock, administrator, route
    ):
        frozen_clock.advance(minutes=2)  # the session lives on; its verification is stale
        stale = send(strict, route, administrator.bearer)
        assert (stale.status_code, stale.json) == (
            403,
            {"object": "auth", "message": "Verification required"},
        )
        verified = strict.patch(
            f"/api/user/set-session-verified?sessionid={administrator.session['sessionid']}",
            json={"username": administrator.username, "password": administrator.password},
            headers=administrator.bearer,
        )
        assert verified.status_code == 200
        assert not is_auth(send(strict, route, administrator.bearer).json)

    def test_reads_need_no_fresh_verification(self, strict, frozen_clock, administrator):
        frozen_clock.advance(minutes=2)
        response = strict.get("/api/administrator/accounts", headers=administrator.bearer)
        assert response.status_code == 200


class TestAudit:
    def test_each_write_is_an_event_and_a_log_line_naming_who_what_and_whom(
        self, client, administrator, user, received, caplog
    ):
        caplog.set_level(logging.INFO, logger="dashboard.events")
        code = client.post(
            f"/api/administrator/create-reset-code?accountid={user.account['accountid']}",
            headers=administrator.bearer,
        ).json
        assert received == [
            (
                "administrator-action",
                {
                    "appid": "dashboard",
                    "accountid": user.account["accountid"],
                    "sessionid": administrator.session["sessionid"],
                    "ip": "127.0.0.1",
                    "administrator": administrator.account["accountid"],
                    "action": "create-reset-code",
                },
            )
        ]
        line = [r.getMessage() for r in caplog.records if "administrator-action" in r.getMessage()]
        assert len(line) == 1
        assert f"accountid={user.account['accountid']}" in line[0]
        assert f"administrator={administrator.account['accountid']}" in line[0]
        assert "action=create-reset-code" in line[0]
        assert code["secretCode"] not in caplog.text

    def test_reads_are_not_audited(self, client, app, administrator, received):
        client.get("/api/administrator/accounts", headers=administrator.bearer)
        assert received == []
        assert audit_rows(app) == []

    @pytest.mark.parametrize("route", VERIFIED_ROUTES, ids=lambda route: route.name)
    def test_each_write_is_a_row_of_the_audit_table(
        self, app, client, owner, administrator, user, route
    ):
        # by the owner, who may do every write (set-owner-account included)
        target = administrator if route.name.endswith("reset-account-administrator") else user
        response = send(client, route, owner.bearer, target.account["accountid"])
        assert response.status_code == 200, response.json
        assert audit_rows(app) == [
            (owner.account["accountid"], route.name.split("/")[1], target.account["accountid"])
        ]

    def test_a_refused_write_leaves_no_row(self, app, client, owner, administrator):
        route = next(r for r in VERIFIED_ROUTES if r.name.endswith("reset-session-key"))
        response = send(client, route, administrator.bearer, owner.account["accountid"])
        assert response.status_code == 403  # the rank rule: never the owner's account
        assert audit_rows(app) == []

    def test_a_write_undone_by_a_failure_leaves_no_row(self, app, client, owner, user, monkeypatch):
        def failed(*args):
            raise RuntimeError("the disk is full")

        monkeypatch.setattr("dashboard.accounts.reset_session_key", failed)
        route = next(r for r in VERIFIED_ROUTES if r.name.endswith("reset-session-key"))
        assert send(client, route, owner.bearer, user.account["accountid"]).status_code == 500
        assert audit_rows(app) == []

    def test_an_operators_command_is_a_row_without_an_administrator(self, app, user):
        runner = app.test_cli_runner()
        result = runner.invoke(args=["dashboard", "set-administrator", user.account["accountid"]])
        assert result.exit_code == 0, result.output
        assert audit_rows(app) == [(None, "set-administrator", user.account["accountid"])]


def audit_rows(app) -> list[tuple]:
    """The audit table's rows, oldest first: (administratorid, action, accountid)."""
    with app.app_context():
        rows = storage.Audit.select().order_by(storage.Audit.created_at)
        return [(row.administratorid, row.action, row.accountid) for row in rows]


class TestBreakGlass:
    def run(self, app, *args):
        return app.test_cli_runner().invoke(args=["dashboard", *args])

    def test_set_administrator_prints_the_account(self, app, user):
        result = self.run(app, "set-administrator", user.account["accountid"])
        assert result.exit_code == 0, result.output
        account = json.loads(result.stdout)
        assert (account["accountid"], account["administrator"]) == (
            user.account["accountid"],
            True,
        )

    @pytest.mark.parametrize("command", ["set-administrator", "set-owner"])
    def test_an_account_named_by_its_username_in_any_form(self, app, owner, user, command):
        result = self.run(app, command, user.username.upper())
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["accountid"] == user.account["accountid"]
        assert result.stderr.startswith("database: ")

    def test_reset_administrator(self, app, administrator):
        result = self.run(app, "reset-administrator", administrator.account["accountid"])
        assert result.exit_code == 0, result.output
        assert "administrator" not in json.loads(result.stdout)

    def test_set_owner_whoever_owned_it(self, app, owner, user):
        result = self.run(app, "set-owner", user.account["accountid"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["owner"] is True
        with app.app_context():
            owners = storage.Account.select().where(storage.Account.owner_since.is_null(False))
            assert [row.accountid for row in owners] == [user.account["accountid"]]
            old = storage.Account.get_by_id(owner.account["accountid"])
            assert old.administrator_since is not None

    @pytest.mark.parametrize("command", ["set-administrator", "reset-administrator", "set-owner"])
    def test_unknown_account_is_a_clear_error(self, app, owner, command):
        for accountid in ("acct_0000000000000000", "not-an-id"):
            result = self.run(app, command, accountid)
            assert result.exit_code == 1
            assert (
                result.stderr.splitlines()[-1]
                == f"Error: no account {accountid} in appid dashboard"
            )

    @pytest.mark.parametrize(
        ("command", "who", "why"),
        [
            ("set-administrator", "owner", "is already an administrator"),
            ("reset-administrator", "owner", "is not an administrator, or is the owner"),
            ("reset-administrator", "user", "is not an administrator, or is the owner"),
            ("set-owner", "owner", "is the owner already"),
        ],
    )
    def test_the_rules_hold_at_the_command_line_too(self, app, owner, user, command, who, why):
        accountid = {"owner": owner, "user": user}[who].account["accountid"]
        result = self.run(app, command, accountid)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[-1].startswith(f"Error: {accountid} {why}")


class TestCreateAccount:
    """``flask dashboard create-account USERNAME``: how the operator makes the owner."""

    def run(self, app, *args, input=None):
        return app.test_cli_runner().invoke(
            args=["dashboard", "create-account", *args], input=input
        )

    def signs_in(self, app, username, password):
        return (
            app.test_client()
            .post("/api/user/create-session", json={"username": username, "password": password})
            .status_code
        )

    def test_owner_from_standard_input(self, app, received):
        result = self.run(
            app, "site-owner", "--owner", "--password-stdin", input="owners-password\n"
        )
        assert result.exit_code == 0, result.output
        account = json.loads(result.stdout)
        assert (account["owner"], account["administrator"]) == (True, True)
        assert "owners-password" not in result.stderr
        assert self.signs_in(app, "site-owner", "owners-password") == 200
        audited = [data for name, data in received if name == "administrator-action"]
        assert [(data["action"], data["administrator"]) for data in audited] == [
            ("create-account", "command-line")
        ]

    def test_password_from_a_prompt_asked_twice(self, app):
        result = self.run(app, "prompted-user", input="prompted-pass\nprompted-pass\n")
        assert result.exit_code == 0, result.output
        account = json.loads(result.stdout.splitlines()[-1])
        assert "owner" not in account and "administrator" not in account
        assert "prompted-pass" not in result.stderr
        assert self.signs_in(app, "prompted-user", "prompted-pass") == 200

    def test_administrator(self, app):
        result = self.run(
            app, "an-administrator", "--administrator", "--password-stdin", input="p" * 8
        )
        assert result.exit_code == 0, result.output
        account = json.loads(result.stdout)
        assert account["administrator"] is True and "owner" not in account

    def test_a_second_owner_is_refused_and_nothing_is_made(self, app, owner):
        result = self.run(app, "would-be-owner", "--owner", "--password-stdin", input="p" * 8)
        assert result.exit_code == 1
        assert "the site has an owner already" in result.stderr
        assert self.signs_in(app, "would-be-owner", "p" * 8) == 400

    @pytest.mark.parametrize(
        ("username", "password", "why"),
        [
            ("short", "long-enough", "the username is too short or too long"),
            ("good-username", "short", "the password is too short or too long"),
            ("bad user name", "long-enough", "the username is empty, or holds characters"),
        ],
    )
    def test_the_rules_of_registration_hold(self, app, username, password, why):
        result = self.run(app, username, "--password-stdin", input=password)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[-1].startswith(f"Error: {why}")

    def test_a_taken_username(self, app, user):
        result = self.run(app, user.username, "--password-stdin", input="another-password")
        assert (result.exit_code, result.stderr.splitlines()[-1]) == (
            1,
            "Error: that username is taken",
        )

    def test_makes_accounts_while_registration_is_closed(self, make_app):
        closed = make_app(registration="closed")
        result = self.run(closed, "made-by-operator", "--password-stdin", input="operators-pick")
        assert result.exit_code == 0, result.output
        assert self.signs_in(closed, "made-by-operator", "operators-pick") == 200


class TestRaces:
    def test_two_owner_transfers_at_once_leave_exactly_one_owner(
        self, app, owner, create_user, monkeypatch
    ):
        heirs = [create_user(), create_user()]
        both_found = threading.Barrier(2, timeout=30)
        real = access.target_account

        def found_then_wait(req):
            account = real(req)
            both_found.wait()  # each has its target; neither has written
            return account

        monkeypatch.setattr(access, "target_account", found_then_wait)
        answers = all_at_once(
            2,
            lambda n: app.test_client().patch(
                f"/api/administrator/set-owner-account?accountid={heirs[n].account['accountid']}",
                headers=owner.bearer,
            ),
        )
        statuses = sorted((a.status_code, a.json.get("message")) for a in answers)
        assert statuses == [(200, None), (403, "invalid-account")]
        with app.app_context():
            owners = [
                row.accountid
                for row in storage.Account.select().where(
                    storage.Account.owner_since.is_null(False)
                )
            ]
        winner = [a for a in answers if a.status_code == 200][0].json["accountid"]
        assert owners == [winner]

    def test_metrics_are_exact_under_concurrent_writers(self, app, user, administrator):
        answers = all_at_once(
            8,
            lambda _: app.test_client().post(
                "/api/user/create-session",
                json={"username": user.username, "password": user.password},
            ),
        )
        assert [answer.status_code for answer in answers] == [200] * 8
        total = app.test_client().get(
            "/api/administrator/metric-keys?keys=sessions-created/total",
            headers=administrator.bearer,
        )
        # the owner's, the user's, and the administrator's sign-ins came before
        assert total.json[0]["value"] == 3 + 8

    def test_a_failed_write_is_not_counted(self, call, administrator, user):
        body = {"username": user.username, "password": "wrong-password"}
        with pytest.raises(Exception, match="invalid-password"):
            call("user/create-session", "post", {"body": body})
        listed = call(
            "administrator/metric-keys",
            "get",
            administrator.ask({"keys": "sessions-created/total"}),
        )
        assert listed[0]["value"] == 3

    def test_disable_metrics(self, make_app, user, administrator):
        client = make_app(disable_metrics=True).test_client()
        sign_in_body = {"username": user.username, "password": user.password}
        assert client.post("/api/user/create-session", json=sign_in_body).status_code == 200
        total = client.get(
            "/api/administrator/metric-keys?keys=sessions-created/total",
            headers=administrator.bearer,
        )
        assert total.json[0]["value"] == 3  # counted before; not this one


def test_a_deleted_accounts_session_stops_on_every_host(make_app, client, administrator, user):
    other_host = make_app().test_client()  # the same database, another process's app
    url = f"/api/user/account?accountid={user.account['accountid']}"
    assert other_host.get(url, headers=user.bearer).status_code == 200
    deleted = client.delete(
        f"/api/administrator/delete-account?accountid={user.account['accountid']}",
        headers=administrator.bearer,
    )
    assert deleted.status_code == 200
    assert other_host.get(url, headers=user.bearer).status_code == 401
