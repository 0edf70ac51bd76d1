"""Events of the founding routes: signals with their data, one log line each."""

from __future__ import annotations

from tests.conftest import sign_in


def data(user, sessionid=None, ip=None, accountid=True):
    return {
        "appid": "dashboard",
        "accountid": user.account["accountid"] if accountid else None,
        "sessionid": sessionid,
        "ip": ip,
    }


def test_sign_in_sends_succeeded_and_session_created(call, user, received):
    session = sign_in(call, user.username, user.password)
    expected = {
        "appid": "dashboard",
        "accountid": user.account["accountid"],
        "sessionid": session["sessionid"],
        "ip": None,
    }
    assert received == [("sign-in-succeeded", expected), ("session-created", expected)]


def test_wrong_password_sends_failed(error_of, user, received):
    body = {"username": user.username, "password": "wrong-password"}
    error_of("user/create-session", "post", {"body": body, "ip": "198.51.100.4"})
    assert received == [
        (
            "sign-in-failed",
            {
                "appid": "dashboard",
                "accountid": user.account["accountid"],
                "sessionid": None,
                "ip": "198.51.100.4",
            },
        )
    ]


def test_unknown_username_sends_failed_without_account(error_of, received):
    error_of(
        "user/create-session", "post", {"body": {"username": "nobody-here", "password": "password"}}
    )
    assert received == [
        ("sign-in-failed", {"appid": "dashboard", "accountid": None, "sessionid": None, "ip": None})
    ]


def test_key_reset_sends_its_event(call, user, received):
    call(
        "user/reset-session-key",
        "patch",
        {**user.req, "query": {"accountid": user.account["accountid"]}},
    )
    assert received == [
        (
            "session-key-reset",
            {
                "appid": "dashboard",
                "accountid": user.account["accountid"],
                "sessionid": user.session["sessionid"],
                "ip": None,
            },
        )
    ]


def test_each_event_is_one_structured_log_line(call, user, caplog):
    caplog.set_level("INFO", logger="dashboard.events")
    session = sign_in(call, user.username, user.password)
    lines = [record.getMessage() for record in caplog.records if record.name == "dashboard.events"]
    ids = f"accountid={user.account['accountid']} sessionid={session['sessionid']}"
    assert lines == [
        f"event=sign-in-succeeded appid=dashboard {ids} ip=-",
        f"event=session-created appid=dashboard {ids} ip=-",
    ]


def test_ending_a_session_sends_session_ended(call, user, received):
    call(
        "user/set-session-ended",
        "patch",
        {**user.ask({"sessionid": user.session["sessionid"]}), "ip": "192.0.2.1"},
    )
    assert received == [("session-ended", data(user, user.session["sessionid"], "192.0.2.1"))]


def test_password_change_sends_password_changed(call, user, received):
    call(
        "user/set-account-password",
        "patch",
        user.ask(user.own, new_password="new-password-1", password=user.password),
    )
    assert received == [("password-changed", data(user, user.session["sessionid"]))]


def test_username_change_sends_username_changed(call, user, received):
    call(
        "user/set-account-username",
        "patch",
        user.ask(user.own, new_username="new-username-1", password=user.password),
    )
    assert received == [("username-changed", data(user, user.session["sessionid"]))]


def test_deletion_and_restore_send_their_events(call, user, received):
    call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
    call(
        "user/reset-account-deleted",
        "patch",
        {"body": {"username": user.username, "password": user.password}},
    )
    assert received == [
        ("account-deleted", data(user, user.session["sessionid"])),
        ("account-restored", data(user)),
    ]


def test_failures_send_nothing_but_failed_sign_in(error_of, user, received):
    error_of(
        "user/set-account-password",
        "patch",
        user.ask(user.own, new_password="new-password-1", password="wrong-one"),
    )
    error_of("user/set-account-deleted", "patch", user.ask(user.own, password="wrong-one"))
    assert received == []
