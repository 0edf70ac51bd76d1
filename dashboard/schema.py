"""The database schema's version, and bringing any older schema to the current one."""

from __future__ import annotations

import logging
import threading

import peewee
from playhouse import migrate as migrations

from dashboard import database_url, outage, storage
from dashboard.config import ConfigError

log = logging.getLogger("dashboard")

VERSION = 9
LOCK_ID = 7310210  # PostgreSQL advisory lock: one migration at a time, across hosts


class SchemaError(RuntimeError):
    """The database cannot be served by this code."""


class SchemaVersion(peewee.Model):
    name = peewee.CharField(max_length=32, primary_key=True)
    version = peewee.IntegerField()

    class Meta:
        database = storage.db
        table_name = "schema_version"


def _v2(migrator: migrations.SchemaMigrator) -> None:
    # purge-deleted finds accounts by deletion time; version 1 scanned the table.
    migrations.migrate(migrator.add_index("account", ("appid", "deleted_at"), False))


def _v3(migrator: migrations.SchemaMigrator) -> None:
    # Passwords hashed until now were hashed as typed, not as RFC 8265 prepares them.
    column = peewee.BooleanField(default=False)
    migrations.migrate(migrator.add_column("account", "password_prepared", column))


def _v4(migrator: migrations.SchemaMigrator) -> None:
    # Profiles and reset codes: their tables, and the account's columns for them.
    migrations.migrate(
        migrator.add_column("account", "profileid", peewee.CharField(max_length=32, null=True)),
        migrator.add_column(
            "account", "reset_code_last_created_at", peewee.DateTimeField(null=True)
        ),
        migrator.add_column("account", "reset_code_last_used_at", peewee.DateTimeField(null=True)),
    )
    migrator.database.create_tables([storage.Profile, storage.ResetCode])


def _v5(migrator: migrations.SchemaMigrator) -> None:
    # Metrics, counted in the transaction of the write they count.
    migrator.database.create_tables([storage.Metric])


def _v6(migrator: migrations.SchemaMigrator) -> None:
    # Reset codes made by an administrator say who made it: the rank rule at its use.
    # (A database from before version 4 has just made the table, with the column.)
    columns = {column.name for column in migrator.database.get_columns("reset_code")}
    if "created_by" not in columns:
        column = peewee.CharField(max_length=32, null=True)
        migrations.migrate(migrator.add_column("reset_code", "created_by", column))


def _v7(migrator: migrations.SchemaMigrator) -> None:
    # The audit of administrators' writes, written in each write's transaction.
    migrator.database.create_tables([storage.Audit])


def _v8(migrator: migrations.SchemaMigrator) -> None:
    # Second factors: the authenticator apps, what each account has, the second step.
    # Nullable, with no default (NULL reads as none): SQLite adds a NOT NULL column by
    # copying its table, which the cascades of the foreign keys to it would empty.
    migrations.migrate(
        migrator.add_column(
            "account", "second_factors", peewee.CharField(max_length=32, null=True)
        ),
        migrator.add_column("session", "second_step_until", peewee.DateTimeField(null=True)),
        migrator.add_column("session", "second_step_tries", peewee.IntegerField(null=True)),
    )
    migrator.database.create_tables([storage.Totp])


def _v9(migrator: migrations.SchemaMigrator) -> None:
    # Passkeys, and the WebAuthn challenges given out for them.
    migrator.database.create_tables([storage.Passkey, storage.Challenge])


# STEPS[n] brings version n - 1 to version n. Version 1 is the first release's tables.
STEPS = {2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6, 7: _v7, 8: _v8, 9: _v9}


def migrate(database: peewee.Database) -> tuple[int, int]:
    """Bring the schema to VERSION; returns (version found, version now).

    Idempotent, and safe when several workers or hosts run it at once: it runs in one
    transaction under a lock (PostgreSQL advisory lock; SQLite's BEGIN IMMEDIATE).
    """
    models = (*storage.MODELS, SchemaVersion)
    with database.bind_ctx(models), database.atomic():
        if isinstance(database, peewee.PostgresqlDatabase):
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
        found = _version(database)
        if found > VERSION:
            raise SchemaError(
                f"the database schema is version {found}, newer than this code's {VERSION}: "
                "upgrade Dashboard before serving this database"
            )
        if found == VERSION:
            return found, VERSION  # nothing to write: a read-only database can be served
        if found == 0:
            database.create_tables(models)
        else:
            database.create_tables([SchemaVersion], safe=True)
            migrator = migrations.SchemaMigrator.from_database(database)
            for version in range(found + 1, VERSION + 1):
                STEPS[version](migrator)
        SchemaVersion.insert(name="dashboard", version=VERSION).on_conflict(
            conflict_target=[SchemaVersion.name], update={SchemaVersion.version: VERSION}
        ).execute()
    if 0 < found < VERSION:
        log.warning("migrated the database schema from version %s to %s", found, VERSION)
    return found, VERSION


def _version(database: peewee.Database) -> int:
    tables = set(database.get_tables())
    if "schema_version" in tables:
        row = SchemaVersion.get_or_none(SchemaVersion.name == "dashboard")
        return row.version if row else 1
    return 1 if "account" in tables else 0


class Upgrade:
    """Bringing the schema up to date, at start or, if the database did not answer then,
    at the first request that reaches it (under migrate's lock, as at start)."""

    def __init__(self, database: peewee.Database | None) -> None:
        self.database = database
        self.done = False
        self._lock = threading.Lock()

    def at_start(self, described: str) -> None:
        """Migrate now. A database that does not answer is an outage, left for the first
        request; one that refuses the settings (a wrong password, database, role or host
        in DATABASE_URL, ``described`` with its password masked) is a mistake, and stops
        the start with ConfigError."""
        try:
            self.ensure()
        except (peewee.OperationalError, peewee.InterfaceError) as error:
            reason = database_url.misconfiguration(error)
            if reason is not None:
                raise ConfigError(f"DATABASE_URL {described}: {reason}") from None
            log.warning(
                "the database does not answer (%s: %s): serving 503 until it does, then "
                "bringing its schema up to date",
                type(error).__name__,
                outage.reason(error),
            )

    def ensure(self) -> None:
        """Raise unless the schema is up to date, migrating it first if need be."""
        if self.done:
            return
        with self._lock:
            if not self.done:
                if self.database is None:
                    raise SchemaError("no database")  # a command's app, which has none
                migrate(self.database)
                self.done = True
