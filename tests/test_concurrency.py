"""Several worker processes on one database (SQLite file or PostgreSQL), under gunicorn."""

from __future__ import annotations

import shutil
import sys
from collections import Counter

import pytest

from tests.servers import all_at_once, free_port, request, running, service_environment

pytestmark = pytest.mark.skipif(
    shutil.which("gunicorn", path=sys.prefix + "/bin") is None and shutil.which("gunicorn") is None,
    reason="gunicorn is not installed (pip install -e '.[serve]')",
)


@pytest.fixture
def server(request, database_url, tmp_path):
    """gunicorn, 4 workers, on a fresh SQLite file or PostgreSQL schema; with the
    settings of the test's ``settings`` mark, if any."""
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=sys.prefix + "/bin") or shutil.which("gunicorn")
    command = [
        gunicorn,
        "--workers",
        "4",
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
        "app:app",
    ]
    mark = request.node.get_closest_marker("settings")
    env = service_environment(
        tmp_path / "unused.sqlite3", DATABASE_URL=database_url, **(mark.kwargs if mark else {})
    )
    with running(command, env, port, tmp_path / "gunicorn.log") as base:
        yield base


def test_16_simultaneous_sign_ins_of_one_account_all_succeed(server):
    credentials = {"username": "busy-account", "password": "busy-password"}
    assert request("POST", f"{server}/api/user/create-account", credentials)[0] == 200
    results = all_at_once(
        16, lambda _: request("POST", f"{server}/api/user/create-session", credentials)
    )
    assert [status for status, _ in results] == [200] * 16
    assert len({session["sessionid"] for _, session in results}) == 16
    for _, session in results:
        headers = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
        status, account = request(
            "GET", f"{server}/api/user/account?accountid={session['accountid']}", headers=headers
        )
        assert status == 200


def test_12_simultaneous_registrations_of_one_username_give_one_account(server):
    credentials = {"username": "contested-name", "password": "contested-password"}
    results = all_at_once(
        12, lambda _: request("POST", f"{server}/api/user/create-account", credentials)
    )
    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 409: 11}
    assert Counter(body["message"] for status, body in results if status == 409) == {
        "duplicate-username": 11
    }


@pytest.mark.settings(FIRST_ACCOUNT_OWNER="true")
def test_simultaneous_first_accounts_make_one_owner(server):
    results = all_at_once(
        8,
        lambda n: request(
            "POST",
            f"{server}/api/user/create-account",
            {"username": f"first-{n}", "password": "password"},
        ),
    )
    assert [status for status, _ in results] == [200] * 8
    assert sum(1 for _, account in results if account.get("owner")) == 1


def test_a_key_reset_in_one_worker_holds_in_every_worker(server):
    credentials = {"username": "reset-account", "password": "reset-password"}
    request("POST", f"{server}/api/user/create-account", credentials)
    _, session = request("POST", f"{server}/api/user/create-session", credentials)
    headers = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    account_url = f"{server}/api/user/account?accountid={session['accountid']}"
    assert all(
        status == 200
        for status, _ in all_at_once(8, lambda _: request("GET", account_url, headers=headers))
    )
    reset_url = f"{server}/api/user/reset-session-key?accountid={session['accountid']}"
    assert request("PATCH", reset_url, headers=headers) == (200, True)
    # 16 requests at once reach all four workers; none of them accepts the old session
    results = all_at_once(16, lambda _: request("GET", account_url, headers=headers))
    assert [status for status, _ in results] == [401] * 16


def bearer(session) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}


def signed_in(server, username, password="a-password") -> dict:
    credentials = {"username": username, "password": password}
    request("POST", f"{server}/api/user/create-account", credentials)
    status, session = request("POST", f"{server}/api/user/create-session", credentials)
    assert status == 200, session
    return session


def sent_at_once(*requests: tuple) -> list:
    """Requests, each the arguments of ``request``, sent at the same moment; their
    (status, body) each."""
    return all_at_once(len(requests), lambda n: request(*requests[n]))


@pytest.mark.settings(FIRST_ACCOUNT_OWNER="true", MAXIMUM_RESET_CODES="3")
def test_12_administrator_reset_codes_at_once_keep_the_maximum(server):
    owner = signed_in(server, "the-owner")
    user = signed_in(server, "helped-user")
    url = f"{server}/api/administrator/create-reset-code?accountid={user['accountid']}"
    results = all_at_once(12, lambda _: request("POST", url, {}, bearer(owner)))
    assert Counter(status for status, _ in results) == {200: 3, 400: 9}
    assert {body["message"] for status, body in results if status == 400} == {"maximum-reset-codes"}
    count_url = f"{server}/api/administrator/reset-codes-count?accountid={user['accountid']}"
    assert request("GET", count_url, headers=bearer(owner)) == (200, 3)


def test_choosing_a_default_profile_as_it_is_deleted_leaves_one_that_exists(server):
    # Accounts, each with a second profile that one request makes its default
    # while another deletes it, all at once.
    fields = {"full-name": "Ada", "contact-email": "ada@example.com"}
    pairs, users = [], []
    for number in range(24):
        user = signed_in(server, f"profile-owner-{number}")
        profiles = f"{server}/api/user/create-profile?accountid={user['accountid']}"
        for _ in range(2):
            status, profile = request("POST", profiles, fields, bearer(user))
            assert status == 200
        choose = f"{server}/api/user/set-account-profile?accountid={user['accountid']}"
        delete = f"{server}/api/user/delete-profile?profileid={profile['profileid']}"
        pairs += [
            ("PATCH", choose, {"profileid": profile["profileid"]}, bearer(user)),
            ("DELETE", delete, None, bearer(user)),
        ]
        users.append(user)
    answers = sent_at_once(*pairs)
    for number, user in enumerate(users):
        chosen, deleted = answers[2 * number : 2 * number + 2]
        assert sorted([chosen[0], deleted[0]]) == [200, 400], (chosen, deleted)
        url = f"{server}/api/user/account?accountid={user['accountid']}"
        _, account = request("GET", url, headers=bearer(user))
        get = f"{server}/api/user/profile?profileid={account['profileid']}"
        assert request("GET", get, headers=bearer(user))[0] == 200


# Writes to an account, by the account itself or by the owner: (who, method, route, body).
WRITES_TO_AN_ACCOUNT = [
    ("user", "POST", "user/create-profile", {"full-name": "A", "contact-email": "a@b.example"}),
    ("user", "PATCH", "user/update-profile", {"full-name": "B"}),
    ("user", "PATCH", "user/set-account-profile", {}),
    ("user", "POST", "user/create-reset-code", {"password": "a-password"}),
    ("user", "PATCH", "user/set-account-deleted", {"password": "a-password"}),
    ("owner", "POST", "administrator/create-reset-code", {}),
    ("owner", "PATCH", "administrator/reset-session-key", {}),
]


@pytest.mark.settings(FIRST_ACCOUNT_OWNER="true")
def test_writes_racing_the_accounts_deletion_never_fail_or_go_unaudited(server, tmp_path):
    owner = signed_in(server, "the-owner")
    audited = 0
    for round_number in range(6):
        for who, method, route, body in WRITES_TO_AN_ACCOUNT:
            user = signed_in(server, f"doomed-{round_number}-{route.replace('/', '-')}")
            profile = request(
                "POST",
                f"{server}/api/user/create-profile?accountid={user['accountid']}",
                {"full-name": "Ada", "contact-email": "ada@example.com"},
                bearer(user),
            )[1]["profileid"]
            query = (
                f"?profileid={profile}"
                if route == "user/update-profile"
                else f"?accountid={user['accountid']}"
            )
            posted = {"profileid": profile, **body} if route.endswith("account-profile") else body
            headers = bearer(user if who == "user" else owner)
            delete = f"{server}/api/administrator/delete-account?accountid={user['accountid']}"
            wrote, deleted = sent_at_once(
                (method, f"{server}/api/{route}{query}", posted, headers),
                ("DELETE", delete, None, bearer(owner)),
            )
            assert deleted[0] in (200, 400), deleted  # 400: the user deleted itself first
            assert wrote[0] in (200, 400, 401, 403), (route, wrote)
            audited += (who == "owner" and wrote[0] == 200) + (deleted[0] == 200)
    # Every administrator write that answered 200 left its audit row and its line.
    log = (tmp_path / "gunicorn.log").read_text()
    assert log.count("event=administrator-action") == audited
    assert request("GET", f"{server}/api/administrator/audit-count", headers=bearer(owner)) == (
        200,
        audited,
    )


@pytest.mark.settings(FIRST_ACCOUNT_OWNER="true")
def test_16_administrator_writes_at_once_leave_16_audit_rows(server):
    owner = signed_in(server, "the-owner")
    users = [signed_in(server, f"audited-{number}") for number in range(16)]

    def reset(number: int):
        url = f"{server}/api/administrator/reset-session-key?accountid={users[number]['accountid']}"
        return request("PATCH", url, {}, bearer(owner))[0]

    assert all_at_once(16, reset) == [200] * 16
    status, rows = request(
        "GET", f"{server}/api/administrator/audit?all=true", headers=bearer(owner)
    )
    assert status == 200
    assert sorted(row["accountid"] for row in rows) == sorted(user["accountid"] for user in users)
    assert {(row["action"], row["administratorid"]) for row in rows} == {
        ("reset-session-key", owner["accountid"])
    }
