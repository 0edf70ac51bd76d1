"""POST /api/user/create-account: register with a username and password."""

from __future__ import annotations

from typing import Any

import peewee

from dashboard import access, accounts, clock, metrics, profiles, security, storage
from dashboard.config import current_config
from dashboard.errors import ApiError

AUTH = False

BODY = {"username": "required", "password": "required", **profiles.BODY}
ERRORS = {
    "invalid-username": "missing posted username, or one that preparation refuses",
    "invalid-password": "missing posted password, or one that preparation refuses",
    "invalid-username-length": "posted username too short or too long once prepared",
    "invalid-password-length": "posted password too short or too long once prepared",
    "duplicate-username": "posted username taken in this appid, in any look-alike form",
    # with REQUIRE_PROFILE, the fields of the account's first profile:
    **profiles.errors(),
}
RETURNS = "Account"


def post(req: dict[str, Any]) -> dict[str, Any]:
    username, password = access.posted_credentials(req)
    username = accounts.prepared(username, "username", "invalid-username")
    password = accounts.prepared(password, "password", "invalid-password")
    config = current_config()
    if config.require_profile:  # every field checked before anything is written
        fields = profiles.posted(req, required=config.user_profile_fields)
    appid = access.appid(req)
    now = clock.now()
    password_hash = accounts.new_password_hash(password)
    key = config.encryption_key
    try:
        with storage.write():
            account = storage.Account.create(
                accountid=security.new_id("acct"),
                appid=appid,
                username_hash=security.username_hash(username, key),
                password_hash=password_hash,
                password_prepared=True,
                session_key=security.new_token(),
                created_at=now,
                updated_at=now,
            )
            _become_owner_if_first(account, now)
            metrics.count(appid, "accounts-created", now)
            if config.require_profile:
                profile = profiles.create(storage.data(account), fields, make_default=True)
                account.profileid = profile.profileid
    except peewee.IntegrityError:
        raise ApiError("duplicate-username") from None
    return storage.public_account(storage.data(account))


def _become_owner_if_first(account: storage.Account, now: Any) -> None:
    others = storage.Account.select().where(
        (storage.Account.appid == account.appid) & (storage.Account.accountid != account.accountid)
    )
    if others.exists():
        return
    try:
        # A unique index allows one owner per appid: of two first accounts racing,
        # the second's savepoint rolls back and it stays an ordinary account.
        with storage.db.atomic():
            account.owner_since = account.administrator_since = now
            account.save(only=[storage.Account.owner_since, storage.Account.administrator_since])
    except peewee.IntegrityError:
        account.owner_since = account.administrator_since = None
