"""Fill a database fast, with plain inserts in large batches (not through the API)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from dashboard import clock, create_app, security, storage
from dashboard.config import Config

BATCH = 50_000


def seed(config: Config, instance_path: str, accounts: int, sessions: int) -> None:
    """``accounts`` accounts with ``sessions`` sessions spread over them, all valid-looking.

    Their passwords and tokens are random: they exist to make the tables big, not to
    sign in. Use ``bench_account`` for an account that signs in. Rows go in through the
    driver's executemany, in batches: building them through peewee costs 10x more.
    """
    app = create_app(config, instance_path=instance_path)
    now = clock.now()
    expires = now + timedelta(days=30)
    filler_hash = security.hash_password("filler", config.encryption_key, 4)
    account_columns = (
        "accountid",
        "appid",
        "username_hash",
        "password_hash",
        "password_prepared",
        "session_key",
        "session_key_number",
        "created_at",
        "updated_at",
    )
    session_columns = (
        "sessionid",
        "appid",
        "accountid",
        "token_hash",
        "csrf_token",
        "duration",
        "expires_at",
        "last_verified_at",
        "session_key_number",
        "created_at",
        "updated_at",
    )
    with app.app_context():
        database = app.extensions["dashboard"].database
        db_now, db_expires = _db_time(now), _db_time(expires)

        def accounts_rows(start: int, stop: int):
            for i in range(start, stop):
                accountid = f"acct_{i:016x}"
                yield (
                    accountid,
                    config.appid,
                    secrets.token_hex(64),
                    filler_hash,
                    True,
                    accountid,
                    1,
                    db_now,
                    db_now,
                )

        def sessions_rows(start: int, stop: int):
            for i in range(start, stop):
                yield (
                    f"sess_{i:016x}",
                    config.appid,
                    f"acct_{i % accounts:016x}",
                    secrets.token_hex(64),
                    "c" * 64,
                    2_592_000,
                    db_expires,
                    db_now,
                    1,
                    db_now,
                    db_now,
                )

        for table, columns, rows, total in (
            ("account", account_columns, accounts_rows, accounts),
            ("session", session_columns, sessions_rows, sessions),
        ):
            marks = ", ".join([database.param] * len(columns))
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'
            for start in range(0, total, BATCH):
                with storage.write():
                    database.cursor().executemany(sql, rows(start, min(start + BATCH, total)))


def _db_time(moment):
    # What peewee stores for a DateTimeField: ISO text on SQLite, a datetime elsewhere.
    return str(moment) if storage.db.param == "?" else moment


def bench_account(config: Config, instance_path: str, username: str, password: str) -> None:
    """One account that signs in, its password hashed at the config's bcrypt cost."""
    from dashboard.api.user import create_account

    app = create_app(config, instance_path=instance_path)
    with app.app_context():
        create_account.post({"body": {"username": username, "password": password}})
