"""Races: a write that checked a password, or read an account, before another write
committed must not undo that write or hand out a session that is already dead.

Each race is made to happen, not hoped for: the first request is held at the point
where it has checked but not yet written, and the other runs to its end then."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

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


def at_the_transaction(monkeypatch, when, meanwhile):
    """The next route's transaction runs ``meanwhile()`` to its end, in another thread,
    just before it begins ("before") or just after it commits ("after")."""
    real = storage.write
    pending = [meanwhile]

    def run_pending():
        if pending:
            with ThreadPoolExecutor(1) as other:
                other.submit(pending.pop()).result()

    @contextlib.contextmanager
    def raced():
        if when == "before":
            run_pending()
        with real():
            yield
        if when == "after":
            run_pending()

    monkeypatch.setattr(storage, "write", raced)


def an_account_write(route, person, user, profile) -> tuple[str, str, dict]:
    """(method, url, body) of a write ``route`` of ``person``'s to ``user``'s account."""
    query = f"?accountid={user.account['accountid']}"
    writes = {
        "user/create-profile": ("POST", query, {"full-name": "A", "contact-email": "a@b.example"}),
        "user/update-profile": ("PATCH", f"?profileid={profile}", {"full-name": "B"}),
        "user/set-account-profile": ("PATCH", query, {"profileid": profile}),
        "user/create-reset-code": ("POST", query, {"password": user.password}),
        "user/set-account-deleted": ("PATCH", query, {"password": user.password}),
        "user/set-account-password": (
            "PATCH",
            query,
            {"password": user.password, "new-password": "a-newer-password"},
        ),
        "user/set-account-username": (
            "PATCH",
            query,
            {"password": user.password, "new-username": "a-newer-username"},
        ),
        "administrator/create-reset-code": ("POST", query, {}),
        "administrator/reset-session-key": ("PATCH", query, {}),
        "administrator/set-account-deleted": ("PATCH", query, {}),
        "administrator/set-account-administrator": ("PATCH", query, {}),
    }
    method, suffix, body = writes[route]
    return method, f"/api/{route}{suffix}", body


WRITES = [
    "user/create-profile",
    "user/update-profile",
    "user/set-account-profile",
    "user/create-reset-code",
    "user/set-account-deleted",
    "user/set-account-password",
    "user/set-account-username",
    "administrator/create-reset-code",
    "administrator/reset-session-key",
    "administrator/set-account-deleted",
    "administrator/set-account-administrator",
]


class TestWritesRacingAnAccountsDeletion:
    """An administrator deletes the account while a write to it is under way."""

    @pytest.fixture
    def scene(self, app, owner, administrator, user, create_profile):
        profile = create_profile(user)["profileid"]
        return owner, administrator, user, profile

    def delete(self, app, owner, user):
        url = f"/api/administrator/delete-account?accountid={user.account['accountid']}"
        return lambda: app.test_client().delete(url, headers=owner.bearer).status_code

    @pytest.mark.parametrize("route", WRITES)
    def test_deleted_first_the_write_is_refused_and_writes_nothing(
        self, app, scene, monkeypatch, route
    ):
        owner, administrator, user, profile = scene
        person = administrator if route.startswith("administrator/") else user
        method, url, body = an_account_write(route, person, user, profile)
        at_the_transaction(monkeypatch, "before", self.delete(app, owner, user))
        answer = app.test_client().open(url, method=method, json=body, headers=person.bearer)
        assert (answer.status_code, answer.json["message"]) == (403, "invalid-account")
        with app.app_context():
            for model in (storage.Account, storage.Session, storage.Profile, storage.ResetCode):
                primary = model.accountid if model is storage.Account else model.account
                assert not model.select().where(primary == user.account["accountid"]).exists()

    @pytest.mark.parametrize("route", WRITES)
    def test_deleted_just_after_the_write_answers_what_it_wrote_and_is_audited(
        self, app, scene, monkeypatch, received, route
    ):
        owner, administrator, user, profile = scene
        person = administrator if route.startswith("administrator/") else user
        method, url, body = an_account_write(route, person, user, profile)
        at_the_transaction(monkeypatch, "after", self.delete(app, owner, user))
        answer = app.test_client().open(url, method=method, json=body, headers=person.bearer)
        assert answer.status_code == 200, answer.json
        assert answer.json["accountid"] == user.account["accountid"]
        audited = [data["action"] for name, data in received if name == "administrator-action"]
        # the deletion ran between the commit and the audit line, which still comes
        expected = [route.split("/")[1]] if person is administrator else []
        assert audited == ["delete-account", *expected]


class TestDefaultProfileRacingItsDeletion:
    @pytest.mark.parametrize("first", ["set-account-profile", "delete-profile"])
    def test_the_default_profile_always_exists(self, app, user, create_profile, monkeypatch, first):
        create_profile(user)
        other = create_profile(user)["profileid"]
        choose = (
            "PATCH",
            f"/api/user/set-account-profile?accountid={user.account['accountid']}",
            {"profileid": other},
        )
        delete = ("DELETE", f"/api/user/delete-profile?profileid={other}", None)
        racer, held = (choose, delete) if first == "set-account-profile" else (delete, choose)

        def send(request):
            method, url, body = request
            return app.test_client().open(url, method=method, json=body, headers=user.bearer)

        answers = []
        at_the_transaction(monkeypatch, "before", lambda: answers.append(send(racer)))
        answers.append(send(held))
        statuses = [(answer.status_code, answer.json) for answer in answers]
        refused = "invalid-profile" if first == "set-account-profile" else "invalid-profileid"
        assert (statuses[1][0], statuses[1][1]["message"]) == (400, refused)
        assert statuses[0][0] == 200
        with app.app_context():
            account = storage.Account.get_by_id(user.account["accountid"])
            assert storage.Profile.get_or_none(storage.Profile.profileid == account.profileid)
