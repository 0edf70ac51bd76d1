"""Fill a database fast, with plain inserts in large batches (not through the API)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from dashboard import clock, create_app, security, storage
from dashboard.config import Config

BATCH = 10_000


def seed(config: Config, instance_path: str, accounts: int, sessions: int) -> None:
    """``accounts`` accounts with ``sessions`` sessions spread over them, all valid-looking.

    Their passwords and tokens are random: they exist to make the tables big, not to
    sign in. Use ``bench_account`` for an account that signs in.
    """
    app = create_app(config, instance_path=instance_path)
    now = clock.now()
    expires = now + timedelta(days=30)
    filler_hash = security.hash_password("filler", config.encryption_key, 4)
    with app.app_context():
        ids = [f"acct_{i:016x}" for i in range(accounts)]
        for start in range(0, accounts, BATCH):
            rows = [
                {
                    "accountid": accountid,
                    "appid": config.appid,
                    "username_hash": security.keyed_hash(accountid, "filler-key-" + "x" * 32),
                    "password_hash": filler_hash,
                    "session_key": accountid,
                    "session_key_number": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for accountid in ids[start : start + BATCH]
            ]
            with storage.write():
                storage.Account.insert_many(rows).execute()
        for start in range(0, sessions, BATCH):
            rows = [
                {
                    "sessionid": f"sess_{i:016x}",
                    "appid": config.appid,
                    "account": ids[i % accounts],
                    "token_hash": secrets.token_hex(64),
                    "csrf_token": "c" * 64,
                    "duration": 2_592_000,
                    "expires_at": expires,
                    "last_verified_at": now,
                    "session_key_number": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(start, min(start + BATCH, sessions))
            ]
            with storage.write():
                storage.Session.insert_many(rows).execute()


def bench_account(config: Config, instance_path: str, username: str, password: str) -> None:
    """One account that signs in, its password hashed at the config's bcrypt cost."""
    from dashboard.api.user import create_account

    app = create_app(config, instance_path=instance_path)
    with app.app_context():
        create_account.post({"body": {"username": username, "password": password}})
