"""Schema versions: migrate from empty, from the previous version, refuse a newer one."""

from __future__ import annotations

import multiprocessing

import peewee
import pytest

from dashboard import create_app, databases, schema, storage
from dashboard.config import Config
from tests.conftest import ENCRYPTION_KEY, SESSION_KEY, call_route, schema_back_to


def database_of(app) -> peewee.Database:
    return app.extensions["dashboard"].database


def indexes(app) -> set[str]:
    with app.app_context():
        return {index.name for index in database_of(app).get_indexes("account")}


def version(app) -> int:
    with app.app_context(), database_of(app).bind_ctx([schema.SchemaVersion]):
        return schema.SchemaVersion.get_by_id("dashboard").version


def make_previous_schema(app) -> None:
    """Turn the current schema back into version 1."""
    schema_back_to(app, 1)


def test_empty_database_gets_the_current_schema(empty_database_url, tmp_path, apps):
    config = Config(
        encryption_key=ENCRYPTION_KEY, session_key=SESSION_KEY, database_url=empty_database_url
    )
    apps.append(create_app(config, instance_path=str(tmp_path / "instance")))
    app = apps[-1]
    assert version(app) == schema.VERSION
    assert "account_appid_deleted_at" in indexes(app)
    with app.app_context():
        assert {"account", "session", "schema_version"} <= set(database_of(app).get_tables())


def test_previous_schema_is_migrated_and_keeps_its_data(app, make_app, user, caplog):
    make_previous_schema(app)
    assert "account_appid_deleted_at" not in indexes(app)
    migrated = make_app()
    assert version(migrated) == schema.VERSION
    assert "account_appid_deleted_at" in indexes(migrated)
    assert f"migrated the database schema from version 1 to {schema.VERSION}" in caplog.text
    req = {**user.req, "query": {"accountid": user.account["accountid"]}}
    assert (
        call_route(migrated, "user/account", "get", req)["accountid"] == user.account["accountid"]
    )


def test_migrate_is_idempotent(app):
    with app.app_context():
        assert schema.migrate(database_of(app)) == (schema.VERSION, schema.VERSION)
        assert schema.migrate(database_of(app)) == (schema.VERSION, schema.VERSION)


def test_newer_schema_refuses_to_start(app, make_app):
    with app.app_context(), database_of(app).bind_ctx([schema.SchemaVersion]):
        schema.SchemaVersion.update(version=schema.VERSION + 1).execute()
    with pytest.raises(schema.SchemaError, match=f"version {schema.VERSION + 1}, newer than"):
        make_app()


def test_migrate_command(app):
    make_previous_schema(app)
    # the CLI builds no new app here: the test's app runs the command
    result = app.test_cli_runner().invoke(args=["dashboard", "migrate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"schema version {schema.VERSION} (was 1)"
    again = app.test_cli_runner().invoke(args=["dashboard", "migrate"])
    assert again.stdout.strip() == f"schema version {schema.VERSION}"


def test_hosts_migrating_at_once(empty_database_url, tmp_path):
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        results = pool.map(_migrate, [empty_database_url] * 6)
    assert sorted(found for found, _ in results) == [0] + [schema.VERSION] * 5
    assert {now for _, now in results} == {schema.VERSION}


def test_hosts_starting_at_once_on_the_previous_schema(app, database_url, tmp_path):
    make_previous_schema(app)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_migrate, [database_url] * 4)
    assert sorted(found for found, _ in results) == [1] + [schema.VERSION] * 3


def _migrate(database_url: str) -> tuple[int, int]:
    config = Config(
        encryption_key=ENCRYPTION_KEY, session_key=SESSION_KEY, database_url=database_url
    )
    database = databases.open_database(config, "/nonexistent")
    try:
        return schema.migrate(database)
    finally:
        databases.close_all(database)


def test_version_3_database_keeps_every_account_and_session(app, make_app, create_user):
    users = [create_user() for _ in range(3)]
    with app.app_context():
        before = {
            model: sorted(row.__data__[model._meta.primary_key.name] for row in model.select())
            for model in (storage.Account, storage.Session)
        }
    schema_back_to(app, 3)
    upgraded = make_app()
    assert version(upgraded) == schema.VERSION
    with upgraded.app_context():
        assert "profile" in database_of(upgraded).get_tables()
        after = {
            model: sorted(row.__data__[model._meta.primary_key.name] for row in model.select())
            for model in (storage.Account, storage.Session)
        }
    assert after == before and len(after[storage.Session]) == 4  # the owner's too
    client = upgraded.test_client()
    for user in users:  # their sessions still sign them in, and the new routes work
        url = f"/api/user/account?accountid={user.account['accountid']}"
        account = client.get(url, headers=user.bearer).json
        assert account["profileid"] is None
        created = client.post(
            f"/api/user/create-profile?accountid={user.account['accountid']}",
            json={"full-name": "Ada", "contact-email": "ada@example.com"},
            headers=user.bearer,
        )
        assert created.status_code == 200
