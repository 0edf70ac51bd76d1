"""Kept answers (answers.py): a signed-in GET of a KEPT route, asked again with the same
bearer token, is answered from memory while the database has not changed, and never
past its session's end; a write anywhere (this connection, another app's connection on
the same SQLite file, a direct SQL write) is seen at the next request; cookies, the
application server, other routes and PostgreSQL without Redis keep nothing."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from dashboard import answers, create_app, reference, storage

REDIS = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def database_url(request, tmp_path) -> Iterator[str]:
    """SQLite, which keeps answers without Redis; PostgreSQL where a test asks for it."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield request.getfixturevalue("sqlite_template").copy_to(tmp_path / "dashboard.sqlite3")
        return
    template = request.getfixturevalue("postgresql_template")
    yield template.url()
    template.check()


def account_path(user) -> str:
    return f"/api/user/account?accountid={user.account['accountid']}"


def test_the_routes_that_keep_answers_are_made_of_rows_alone():
    kept = sorted(route.url for route in reference.routes() if route.kept)
    assert kept == [
        "/api/administrator/account",
        "/api/user/account",
        "/api/user/profile",
        "/api/verify",
    ]
    assert all(route.before_flask for route in reference.routes() if route.kept)


@pytest.mark.parametrize("path", ["account", "/api/verify"])
def test_the_same_request_again_is_answered_from_memory(client, user, queries, path):
    path = account_path(user) if path == "account" else path
    first = client.get(path, headers=user.bearer)
    second = client.get(path, headers=user.bearer)
    assert first.status_code == second.status_code == 200
    assert (second.data, second.headers) == (first.data, first.headers)
    assert queries == [user.session["sessionid"]]  # the second read no row


def test_a_kept_answer_is_keyed_by_the_whole_token(client, user, queries):
    client.get(account_path(user), headers=user.bearer)
    token = user.bearer["Authorization"]
    wrong = {"Authorization": token[:-1] + ("1" if token.endswith("0") else "0")}
    answer = client.get(account_path(user), headers=wrong)
    assert answer.status_code == 401
    other = client.get(account_path(user).replace("acct_", "acct_0"), headers=user.bearer)
    assert other.status_code == 400  # another query string: asked again
    assert len(queries) == 3


def test_a_write_through_the_api_ends_the_kept_answer(client, user):
    assert client.get(account_path(user), headers=user.bearer).status_code == 200
    ended = client.patch(
        f"/api/user/reset-session-key?accountid={user.account['accountid']}",
        headers=user.bearer,
    )
    assert ended.status_code == 200
    assert client.get(account_path(user), headers=user.bearer).status_code == 401
    assert client.get("/api/verify", headers=user.bearer).status_code == 401


def test_a_write_by_another_connection_ends_it(app, config, tmp_path, apps, client, user):
    client.get("/api/verify", headers=user.bearer)
    assert client.get("/api/verify", headers=user.bearer).status_code == 200
    other = create_app(config, instance_path=str(tmp_path / "other"))
    apps.append(other)
    other_client = other.test_client()
    ended = other_client.patch(
        f"/api/user/set-session-ended?sessionid={user.session['sessionid']}",
        headers=user.bearer,
    )
    assert ended.status_code == 200
    assert client.get("/api/verify", headers=user.bearer).status_code == 401


def test_a_direct_sql_write_ends_it(app, client, user):
    client.get(account_path(user), headers=user.bearer)
    with app.app_context():
        storage.Account.update(username_hash="changed").where(
            storage.Account.accountid == user.account["accountid"]
        ).execute()
        storage.Session.update(ended_at=storage.Session.created_at).where(
            storage.Session.sessionid == user.session["sessionid"]
        ).execute()
    assert client.get(account_path(user), headers=user.bearer).status_code == 401


def test_never_past_the_session_s_end(client, user, frozen_clock, queries):
    assert client.get(account_path(user), headers=user.bearer).status_code == 200
    frozen_clock.advance(minutes=21)  # a session not remembered lasts 20 minutes
    assert client.get(account_path(user), headers=user.bearer).status_code == 401


def test_no_older_than_entry_seconds(client, user, queries, monkeypatch):
    client.get(account_path(user), headers=user.bearer)
    monkeypatch.setattr(answers, "ENTRY_SECONDS", 0.0)
    assert client.get(account_path(user), headers=user.bearer).status_code == 200
    assert len(queries) == 2


def test_cookies_the_application_server_and_other_routes_keep_nothing(
    app, config, tmp_path, apps, user, queries
):
    served = create_app(
        replace(config, application_server_token="t" * 32), instance_path=str(tmp_path / "s")
    )
    apps.append(served)
    client = served.test_client()
    client.set_cookie("sessionid", user.session["sessionid"])
    client.set_cookie("token", user.session["token"])
    server = {
        "X-Application-Server-Token": "t" * 32,
        "X-Sessionid": user.session["sessionid"],
        "X-Accountid": user.account["accountid"],
    }
    session_path = f"/api/user/session?sessionid={user.session['sessionid']}"
    for path, headers in (
        (account_path(user), {}),
        (account_path(user), server),
        (session_path, user.bearer),
    ):
        for _ in range(2):
            assert client.get(path, headers=headers).status_code == 200
    assert len(queries) == 6


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_without_redis_keeps_nothing(client, user, queries):
    for _ in range(2):
        assert client.get(account_path(user), headers=user.bearer).status_code == 200
    assert len(queries) == 2


def test_a_full_thread_starts_again(client, user, monkeypatch, queries):
    monkeypatch.setattr(answers, "MAXIMUM_ENTRIES", 1)
    client.get(account_path(user), headers=user.bearer)
    client.get("/api/verify", headers=user.bearer)  # full: the first goes
    client.get(account_path(user), headers=user.bearer)
    assert len(queries) == 3


def test_a_database_that_fails_keeps_nothing(app):
    kept = answers.Answers(app.extensions["dashboard"].database)
    kept.sqlite = True
    kept.database = None  # reading its version fails
    assert kept.version() is None


@pytest.mark.skipif(not REDIS, reason="TEST_REDIS_URL is not set")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_with_redis_a_write_on_another_host_ends_it(config, tmp_path, apps, queries):
    changed = replace(config, cache_url=REDIS, appid=f"answers-{secrets.token_hex(4)}")
    a, b = (create_app(changed, instance_path=str(tmp_path / name)) for name in "ab")
    apps.extend([a, b])
    near = b.extensions["dashboard"].cache.near
    near._start()
    deadline = time.monotonic() + 5
    while not near.listening:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    body = {"username": "answers-user", "password": "answers-password"}
    a.test_client().post("/api/user/create-account", json=body)
    session = a.test_client().post("/api/user/create-session", json=body).json
    bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    asked = -1
    while queries.count(session["sessionid"]) != asked:  # once A's own messages are heard,
        asked = queries.count(session["sessionid"])  # a GET reads no row: it was kept
        assert b.test_client().get("/api/verify", headers=bearer).status_code == 200
        assert time.monotonic() < deadline + 5
    ended = a.test_client().patch(
        f"/api/user/set-session-ended?sessionid={session['sessionid']}", headers=bearer
    )
    assert ended.status_code == 200
    while b.test_client().get("/api/verify", headers=bearer).status_code != 401:
        assert time.monotonic() < deadline + 5, "host B never heard the write"
        time.sleep(0.005)


def test_verify_is_never_kept_past_the_session_s_end(client, user, frozen_clock):
    frozen_clock.advance(minutes=19, seconds=59)
    assert client.get("/api/verify", headers=user.bearer).status_code == 200
    frozen_clock.advance(seconds=1)
    assert client.get("/api/verify", headers=user.bearer).status_code == 401
