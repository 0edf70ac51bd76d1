"""Races: a write that checked a password, or read an account, before another write
committed must not undo that write or hand out a session that is already dead.

Each race is made to happen, not hoped for: the first request is held at the point
where it has checked but not yet written, and the other runs to its end then."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from dashboard import accounts, storage


def password_change(client, user, new_password):
    return client.patch(
        f"/api/user/set-account-password?accountid={user.account['accountid']}",
        json={"new-password": new_password, "password": user.password},
        headers=user.bearer,
    )


def sign_in(client, username, password):
    return client.post(
        "/api/user/create-session", json={"username": username, "password": password}
    )


def account_status(client, session) -> int:
    bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    return client.get(
        f"/api/user/account?accountid={session['accountid']}", headers=bearer
    ).status_code


def after_the_password_check(monkeypatch, meanwhile):
    """The next sign-in runs ``meanwhile()`` to its end, in another thread, after its
    password check and before its write."""
    real = accounts.password_matches
    pending = [meanwhile]

    def checked_then_raced(account, password):
        matched = real(account, password)
        if pending:
            with ThreadPoolExecutor(1) as other:
                other.submit(pending.pop()).result()
        return matched

    monkeypatch.setattr(accounts, "password_matches", checked_then_raced)


class TestPasswordChanges:
    def test_of_two_changes_at_once_one_wins_and_the_other_is_told(self, app, user, monkeypatch):
        both_checked = threading.Barrier(2, timeout=30)
        real = accounts.new_password_hash

        def hash_once_both_have_checked(password):
            both_checked.wait()  # each has proven the old password; neither has written
            return real(password)

        monkeypatch.setattr(accounts, "new_password_hash", hash_once_both_have_checked)
        with ThreadPoolExecutor(2) as pool:
            answers = list(
                pool.map(
                    lambda new: password_change(app.test_client(), user, new),
                    ["first-new-password", "second-new-password"],
                )
            )
        statuses = sorted((a.status_code, a.json.get("message")) for a in answers)
        assert statuses == [(200, None), (400, "invalid-password")]
        winner = "first-new-password" if answers[0].status_code == 200 else "second-new-password"
        loser = ({"first-new-password", "second-new-password"} - {winner}).pop()
        client = app.test_client()
        assert sign_in(client, user.username, winner).status_code == 200
        assert sign_in(client, user.username, loser).status_code == 400
        assert sign_in(client, user.username, user.password).status_code == 400

    def test_a_sign_in_upgrading_the_hash_does_not_undo_a_change(
        self, make_app, client, user, monkeypatch
    ):
        upgrading = make_app(bcrypt_workload_factor=5).test_client()  # the user's hash is cost 4
        after_the_password_check(
            monkeypatch,
            lambda: password_change(client, user, "changed-meanwhile").status_code,
        )
        raced = sign_in(upgrading, user.username, user.password)
        assert (raced.status_code, raced.json["message"]) == (400, "invalid-password")
        assert sign_in(client, user.username, "changed-meanwhile").status_code == 200


class TestSignInRacingAnEnd:
    def test_a_key_reset_first_leaves_the_new_session_valid(self, client, user, monkeypatch):
        reset_url = f"/api/user/reset-session-key?accountid={user.account['accountid']}"
        after_the_password_check(
            monkeypatch, lambda: client.patch(reset_url, headers=user.bearer).status_code
        )
        raced = sign_in(client, user.username, user.password)
        assert raced.status_code == 200
        assert raced.json["sessionKeyNumber"] == user.account["sessionKeyNumber"] + 1
        assert account_status(client, raced.json) == 200
        assert account_status(client, user.session) == 401

    def test_a_deletion_first_refuses_the_sign_in(self, app, client, user, monkeypatch):
        delete_url = f"/api/user/set-account-deleted?accountid={user.account['accountid']}"
        after_the_password_check(
            monkeypatch,
            lambda: (
                client.patch(
                    delete_url, json={"password": user.password}, headers=user.bearer
                ).status_code
            ),
        )
        raced = sign_in(client, user.username, user.password)
        assert (raced.status_code, raced.json["message"]) == (403, "invalid-account")
        with app.app_context():
            mine = storage.Session.account == user.account["accountid"]
            assert storage.Session.select().where(mine).count() == 1  # the fixture's only

    def test_no_session_comes_back_when_a_deletion_is_undone(self, client, user):
        other = sign_in(client, user.username, user.password).json
        delete_url = f"/api/user/set-account-deleted?accountid={user.account['accountid']}"
        deleted = client.patch(delete_url, json={"password": user.password}, headers=user.bearer)
        assert deleted.status_code == 200
        restored = client.patch(
            "/api/user/reset-account-deleted",
            json={"username": user.username, "password": user.password},
        )
        assert restored.status_code == 200
        assert account_status(client, user.session) == 401
        assert account_status(client, other) == 401
        assert account_status(client, sign_in(client, user.username, user.password).json) == 200
