"""Writes version_2_accounts.json: accounts as schema version 2 (before RFC 8265) stored them.

Run with the code of that version (commit 0b2ee20 or before, schema version 2), from a
checkout of it:

    python tests/data/make_version_2_accounts.py > version_2_accounts.json

The keys are the test suite's, so that the suite can sign these accounts in.
"""

from __future__ import annotations

import json
import sys
import tempfile

from dashboard import create_app, schema, storage
from dashboard.api.user import create_account
from dashboard.config import Config

# (username, password) as registered then, exactly as typed
ACCOUNTS = [
    ("Ada-Lovelace", "correct-horse"),  # prepares to ada-lovelace, which the next one is
    ("ada-lovelace", "another-horse"),
    ("Grace Hopper", "compiler-1952"),  # a space: refused by preparation, kept as it is
    ("nul-password", "before\x00after"),  # a NUL: refused by OpaqueString, kept as it is
    ("nfd-password", "pa\u0308sswort-nfd"),  # typed in NFD; prepares to NFC
    ("\uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48", "fullwidth-pass"),  # fullwidth
]


def main() -> None:
    assert schema.VERSION == 2, "run with the code of schema version 2"
    with tempfile.TemporaryDirectory() as folder:
        config = Config(
            encryption_key="e" * 64,
            session_key="s" * 64,
            database_url=f"sqlite:///{folder}/version-2.sqlite3",
            bcrypt_workload_factor=4,
        )
        app = create_app(config, instance_path=folder)
        with app.app_context():
            for username, password in ACCOUNTS:
                create_account.post({"body": {"username": username, "password": password}})
            rows = [
                {name: str(value) if value is not None else None for name, value in row.items()}
                for row in storage.Account.select().dicts()
            ]
    json.dump({"accounts": ACCOUNTS, "rows": rows}, sys.stdout, indent=1, ensure_ascii=True)
    print()


if __name__ == "__main__":
    main()
