"""`flask --app app dashboard purge-deleted`: remove accounts whose deletion time passed."""

from __future__ import annotations

from dashboard import storage
from tests.conftest import sign_in


def purge(app) -> str:
    result = app.test_cli_runner().invoke(args=["dashboard", "purge-deleted"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("database: sqlite:///") or "postgresql" in result.stderr
    return result.stdout.strip()


def count(app, model) -> int:
    with app.app_context():
        return model.select().count()


def test_removes_accounts_past_their_deletion_time_with_their_sessions(
    frozen_clock, app, call, owner, create_user
):
    leaving, staying, restored = create_user(), create_user(), create_user()
    sign_in(call, leaving.username, leaving.password)
    for user in (leaving, restored):
        call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
    call(
        "user/reset-account-deleted",
        "patch",
        {"body": {"username": restored.username, "password": restored.password}},
    )
    assert purge(app) == "purged 0 accounts"  # not yet due
    frozen_clock.advance(days=7)
    assert purge(app) == "purged 1 accounts"
    with app.app_context():
        remaining = {row.accountid for row in storage.Account.select()}
        sessions = {row.accountid for row in storage.Session.select()}
    assert remaining == {
        owner.account["accountid"],
        staying.account["accountid"],
        restored.account["accountid"],
    }
    assert leaving.account["accountid"] not in sessions
    assert count(app, storage.Session) == 3


def test_running_it_again_is_harmless(frozen_clock, app, call, user):
    call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
    frozen_clock.advance(days=8)
    assert purge(app) == "purged 1 accounts"
    assert purge(app) == "purged 0 accounts"
    assert count(app, storage.Account) == 1  # the owner's


def test_other_appids_are_left_alone(frozen_clock, app, call):
    body = {"username": "other-tenant", "password": "other-password"}
    call("user/create-account", "post", {"body": body, "appid": "other"})
    with app.app_context():
        storage.Account.update(deleted_at=frozen_clock()).execute()
    frozen_clock.advance(days=1)
    assert purge(app) == "purged 0 accounts"


def test_profiles_and_reset_codes_go_with_their_account(
    frozen_clock, app, call, create_user, create_profile, create_code
):
    leaving, staying = create_user(), create_user()
    for user in (leaving, staying):
        create_profile(user)
        create_code(user)
    call("user/set-account-deleted", "patch", leaving.ask(leaving.own, password=leaving.password))
    frozen_clock.advance(days=8)
    assert purge(app) == "purged 1 accounts"
    with app.app_context():
        for model in (storage.Profile, storage.ResetCode):
            assert {row.accountid for row in model.select()} == {staying.account["accountid"]}
