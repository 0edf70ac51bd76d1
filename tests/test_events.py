"""Events of the founding routes: signals with their data, one log line each."""

from __future__ import annotations

import pytest

from dashboard import events
from tests.conftest import sign_in


@pytest.fixture
def received(app):
    seen: list[tuple[str, dict]] = []

    def receiver(name):
        def receive(sender, **data):
            assert sender is app
            seen.append((name, data))

        return receive

    receivers = [
        (signal, receiver(signal.name))
        for signal in (
            events.sign_in_succeeded,
            events.sign_in_failed,
            events.session_created,
            events.session_key_reset,
        )
    ]
    for signal, receive in receivers:
        signal.connect(receive, app)
    yield seen
    for signal, receive in receivers:
        signal.disconnect(receive, app)


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
