"""PATCH /api/user/reset-account-password"""

from __future__ import annotations

import pytest

from dashboard import security, storage
from tests.conftest import promoted, sign_in

ROUTE = "user/reset-account-password"
NEW_PASSWORD = "a-brand-new-password"


def reset(user, code, **body):
    posted = {
        "username": user.username,
        "new-password": NEW_PASSWORD,
        "secret-code": code["secretCode"],
        **{name.replace("_", "-"): value for name, value in body.items()},
    }
    return {"body": posted}


class TestExceptions:
    class TestInvalidUsername:
        def test_missing_posted_username(self, error_of, user, create_code):
            assert error_of(ROUTE, "patch", reset(user, create_code(user), username="")) == (
                "invalid-username"
            )

    class TestInvalidNewPassword:
        def test_missing_posted_new_password(self, error_of, user, create_code):
            req = reset(user, create_code(user), new_password="")
            assert error_of(ROUTE, "patch", req) == "invalid-new-password"

        def test_posted_new_password_that_preparation_refuses(self, error_of, user, create_code):
            req = reset(user, create_code(user), new_password="new\x00password")
            assert error_of(ROUTE, "patch", req) == "invalid-new-password"

    class TestInvalidNewPasswordLength:
        @pytest.mark.parametrize("password", ["short", "x" * 129])
        def test_posted_new_password_too_short_or_long(self, error_of, user, create_code, password):
            req = reset(user, create_code(user), new_password=password)
            assert error_of(ROUTE, "patch", req) == "invalid-new-password-length"

    class TestInvalidSecretCode:
        def test_missing_posted_secret_code(self, error_of, user, create_code):
            req = reset(user, create_code(user), secret_code="")
            assert error_of(ROUTE, "patch", req) == "invalid-secret-code"

    class TestInvalidResetCode:
        def test_unknown_username(self, error_of, user, create_code):
            req = reset(user, create_code(user), username="nobody-at-all")
            assert error_of(ROUTE, "patch", req) == "invalid-reset-code"

        def test_wrong_code(self, error_of, user, create_code):
            create_code(user)
            req = reset(user, {"secretCode": "0123456789abcdef"})
            assert error_of(ROUTE, "patch", req) == "invalid-reset-code"

        def test_another_accounts_code(self, error_of, create_user, create_code):
            user, other = create_user(), create_user()
            code = create_code(other)
            assert error_of(ROUTE, "patch", reset(user, code)) == "invalid-reset-code"

        def test_a_code_works_once(self, call, error_of, user, create_code):
            code = create_code(user)
            assert call(ROUTE, "patch", reset(user, code)) is True
            assert error_of(ROUTE, "patch", reset(user, code)) == "invalid-reset-code"

    class TestInvalidResetCodeOfAnAdministrator:
        """A code an administrator made works only while its maker outranks the account."""

        def administrators_code(self, call, maker, user):
            return call("administrator/create-reset-code", "post", maker.ask(user.own))

        def test_the_account_became_an_administrator_since(
            self, app, call, error_of, administrator, user
        ):
            code = self.administrators_code(call, administrator, user)
            promoted(app, user)
            assert error_of(ROUTE, "patch", reset(user, code)) == "invalid-reset-code"
            assert sign_in(call, user.username, user.password)["object"] == "session"

        def test_its_maker_is_no_administrator_any_more(
            self, call, error_of, owner, administrator, user
        ):
            code = self.administrators_code(call, administrator, user)
            demote = "administrator/reset-account-administrator"
            call(demote, "patch", owner.ask(administrator.own))
            assert error_of(ROUTE, "patch", reset(user, code)) == "invalid-reset-code"

        def test_its_maker_is_gone(self, call, error_of, owner, administrator, user):
            code = self.administrators_code(call, administrator, user)
            call("administrator/delete-account", "delete", owner.ask(administrator.own))
            assert error_of(ROUTE, "patch", reset(user, code)) == "invalid-reset-code"

        def test_the_former_owner_no_longer_outranks_an_administrator(
            self, call, error_of, owner, administrator, create_user
        ):
            code = self.administrators_code(call, owner, administrator)
            call("administrator/set-owner-account", "patch", owner.ask(create_user().own))
            # the former owner is an administrator now: no longer above one
            assert error_of(ROUTE, "patch", reset(administrator, code)) == "invalid-reset-code"

        def test_while_it_outranks_the_account_the_code_works(
            self, call, owner, administrator, user
        ):
            for maker, account in ((administrator, user), (owner, administrator)):
                code = self.administrators_code(call, maker, account)
                assert call(ROUTE, "patch", reset(account, code)) is True

    class TestInvalidAccount:
        def test_account_scheduled_for_deletion(self, app, error_of, user, create_code):
            code = create_code(user)
            with app.app_context():
                storage.Account.update(deleted_at=storage.Account.created_at).execute()
            assert error_of(ROUTE, "patch", reset(user, code)) == "invalid-account"


class TestReceives:
    def test_required_posted_fields(self, call, user, create_code):
        assert call(ROUTE, "patch", reset(user, create_code(user))) is True

    def test_username_in_any_look_alike_form(self, call, user, create_code):
        code = create_code(user)
        assert call(ROUTE, "patch", reset(user, code, username=user.username.upper())) is True


class TestReturns:
    def test_true_the_new_password_works_the_old_does_not(self, call, error_of, user, create_code):
        call(ROUTE, "patch", reset(user, create_code(user)))
        assert sign_in(call, user.username, NEW_PASSWORD)["object"] == "session"
        body = {"username": user.username, "password": user.password}
        assert error_of("user/create-session", "post", {"body": body}) == "invalid-password"

    def test_every_session_ends_with_a_new_key(self, app, call, client, user, create_code):
        with app.app_context():
            before = storage.Account.get_by_id(user.account["accountid"])
        call(ROUTE, "patch", reset(user, create_code(user)))
        with app.app_context():
            after = storage.Account.get_by_id(user.account["accountid"])
        assert after.session_key != before.session_key
        assert after.session_key_number == before.session_key_number + 1
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 401

    def test_stamps_the_account(self, call, user, create_code, frozen_clock):
        code = create_code(user)
        frozen_clock.advance(minutes=5)
        call(ROUTE, "patch", reset(user, code))
        session = sign_in(call, user.username, NEW_PASSWORD)
        account = call("user/account", "get", {**session_req(session), "query": user.own})
        assert account["resetCodeLastUsedAt"] == account["passwordLastChangedAt"]
        assert account["resetCodeLastUsedAt"] > code["createdAt"]


def session_req(session):
    return {"account": {"accountid": session["accountid"]}, "session": session}


class TestEnumeration:
    def test_unknown_username_and_wrong_code_cost_the_same(
        self, client, user, create_code, monkeypatch
    ):
        create_code(user)
        hashes: list[str] = []
        real = security.keyed_hash
        monkeypatch.setattr(
            security, "keyed_hash", lambda text, key: hashes.append("keyed") or real(text, key)
        )
        answers = []
        for username in ("nobody-at-all", user.username):
            hashes.clear()
            response = client.patch(
                "/api/user/reset-account-password",
                json={
                    "username": username,
                    "new-password": NEW_PASSWORD,
                    "secret-code": "0123456789abcdef",
                },
            )
            answers.append((response.status_code, response.json, len(hashes)))
        assert answers[0] == answers[1]
        assert answers[0][:2] == (400, {"object": "error", "message": "invalid-reset-code"})


class TestHttp:
    def test_json_patch_signs_every_device_out(self, client, user, create_code):
        code = create_code(user)
        response = client.patch(
            "/api/user/reset-account-password",
            json={
                "username": user.username,
                "new-password": NEW_PASSWORD,
                "secret-code": code["secretCode"],
            },
        )
        assert (response.status_code, response.get_data().strip()) == (200, b"true")
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 401

    def test_shares_the_sign_in_limits_per_address(self, make_app, user, create_code):
        client = make_app(ratelimit_enabled=True, create_session_rate_limit="2 per minute")
        client = client.test_client()
        body = {"username": user.username, "password": "wrong-password"}
        assert client.post("/api/user/create-session", json=body).status_code == 400
        wrong = {
            "username": user.username,
            "new-password": NEW_PASSWORD,
            "secret-code": "0123456789abcdef",
        }
        assert client.patch("/api/user/reset-account-password", json=wrong).status_code == 400
        limited = client.patch("/api/user/reset-account-password", json=wrong)
        assert (limited.status_code, limited.json["message"]) == (429, "rate-limited")
        assert int(limited.headers["Retry-After"]) > 0

    def test_failures_count_against_the_username(self, make_app, user):
        client = make_app(
            ratelimit_enabled=True, create_session_username_rate_limit="2 per hour"
        ).test_client()
        wrong = {
            "username": user.username,
            "new-password": NEW_PASSWORD,
            "secret-code": "0123456789abcdef",
        }
        for address in ("198.51.100.1", "198.51.100.2"):
            response = client.patch(
                "/api/user/reset-account-password",
                json=wrong,
                environ_base={"REMOTE_ADDR": address},
            )
            assert response.status_code == 400
        signed_in = client.post(
            "/api/user/create-session",
            json={"username": user.username, "password": user.password},
            environ_base={"REMOTE_ADDR": "198.51.100.3"},
        )
        assert signed_in.status_code == 429
