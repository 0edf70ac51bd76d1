"""Migrated databases for the tests, made once per test process and handed out clean.

Migrating a new database for every test was most of the suite's time. Instead each test
process (each xdist worker) migrates one SQLite file and one PostgreSQL schema once:
- a SQLite test gets a copy of the migrated file, its own as before;
- a PostgreSQL test gets the process's migrated schema with every row deleted first.
  A test that changed the schema itself (took it back a version, made it newer) is seen
  after it ends, and the next test gets a new schema: no test sees another's rows or
  schema, as when each had its own.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
from pathlib import Path
from typing import Any

from dashboard import databases, schema, storage
from dashboard.config import Config

KEYS = {"encryption_key": "e" * 64, "session_key": "s" * 64}


def migrate(url: str) -> None:
    """Bring the database at ``url`` to the current schema, as an app does at start."""
    database = databases.open_database(Config(database_url=url, **KEYS), "/nonexistent")
    try:
        schema.migrate(database)
    finally:
        databases.close_all(database)


class SqliteTemplate:
    """A migrated SQLite file, copied for each test."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.sqlite3"
        migrate(f"sqlite:///{self.path}")  # closed: its WAL is checkpointed into the file

    def copy_to(self, path: Path) -> str:
        shutil.copyfile(self.path, path)
        return f"sqlite:///{path}"


class PostgresqlTemplate:
    """One migrated PostgreSQL schema for this process, emptied before each test."""

    def __init__(self, base: str) -> None:
        import psycopg2

        self.base = base
        self.admin = psycopg2.connect(base)
        self.admin.autocommit = True
        self.name = ""
        self.fingerprint: Any = None

    def url(self) -> str:
        """The URL of a migrated schema with no rows, for one test."""
        import psycopg2

        if self.name:
            # DELETE: a few rows go in a fraction of a millisecond, where TRUNCATE makes
            # new files for every table
            tables = [f'"{self.name}"."{model._meta.table_name}"' for model in storage.MODELS]
            try:
                with self._bounded() as cursor:
                    cursor.execute("; ".join(f"DELETE FROM {table}" for table in reversed(tables)))
            except psycopg2.Error:  # held by what a test left behind: start another
                self.drop()
        if not self.name:
            self._make()
        return schema_url(self.base, self.name)

    def check(self) -> None:
        """After a test: a schema the test changed is dropped, and the next one gets a
        new one."""
        import psycopg2

        try:
            changed = self.name and self._fingerprint() != self.fingerprint
        except psycopg2.Error:  # a table of it is gone
            changed = True
        if changed:
            self.drop()

    def drop(self) -> None:
        name, self.name = self.name, ""
        if name:
            with contextlib.suppress(Exception), self._bounded() as cursor:
                cursor.execute(f'DROP SCHEMA "{name}" CASCADE')

    def close(self) -> None:
        self.drop()
        self.admin.close()

    def _make(self) -> None:
        self.name = f"test_{secrets.token_hex(6)}"
        with self._bounded() as cursor:
            cursor.execute(f'CREATE SCHEMA "{self.name}"')
        migrate(schema_url(self.base, self.name))
        self.fingerprint = self._fingerprint()

    def _fingerprint(self) -> Any:
        """The schema's tables, columns, indexes and version, as one value."""
        with self._bounded() as cursor:
            cursor.execute(
                "SELECT string_agg(c.relname || '.' || a.attname || ':' || a.atttypid::text,"
                " ',' ORDER BY c.relname, a.attnum) FROM pg_attribute a"
                " JOIN pg_class c ON c.oid = a.attrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = %s AND a.attnum > 0 AND NOT a.attisdropped",
                (self.name,),
            )
            shape = cursor.fetchone()[0]
            cursor.execute(f'SELECT name, version FROM "{self.name}".schema_version')
            return shape, sorted(cursor.fetchall())

    @contextlib.contextmanager
    def _bounded(self) -> Any:
        # A connection a test left in a transaction must not hold the suite up forever.
        with self.admin.cursor() as cursor:
            cursor.execute("SET lock_timeout = '10s'")
            yield cursor


def schema_url(base: str, name: str) -> str:
    """A URL whose connections use schema ``name`` of the database at ``base``."""
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"
