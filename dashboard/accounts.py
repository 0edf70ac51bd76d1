"""Account logic shared by routes: credentials, password checks, ending sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboard import security, storage
from dashboard.cache import current_cache
from dashboard.config import current_config
from dashboard.errors import ApiError


def by_username(appid: str, username: str) -> storage.Account | None:
    """The account with this username in this appid, or None."""
    key = current_config().encryption_key
    return storage.Account.get_or_none(
        (storage.Account.appid == appid)
        & (storage.Account.username_hash == security.username_hash(username, key))
    )


def password_matches(account: storage.Account | None, password: str) -> bool:
    """One bcrypt comparison, whether or not there is an account.

    With no account the password is compared against a dummy hash of the configured
    cost, so an unknown username takes as long as a wrong password.
    """
    config = current_config()
    stored = (
        account.password_hash
        if account
        else security.dummy_password_hash(config.bcrypt_workload_factor)
    )
    return security.check_password(password, stored, config.encryption_key) and account is not None


def row(appid: str, accountid: str) -> storage.Account:
    """The account's full row, secrets included, for checks that need them."""
    return storage.Account.get(
        (storage.Account.accountid == accountid) & (storage.Account.appid == appid)
    )


def proven(account: storage.Account) -> storage.Account:
    """Inside a write: the account's current row, locked, still with the password proven.

    ``account`` is the row whose password the caller checked before the transaction
    (bcrypt must not hold the write lock). If the password changed since, that proof is
    stale: ``invalid-password``, as if it had been checked now. The lock (PostgreSQL
    FOR UPDATE; SQLite's write lock) keeps the row as read until the caller commits, so
    its key, key number and deletion state are the ones its writes build on.
    """
    query = storage.Account.select().where(
        (storage.Account.accountid == account.accountid) & (storage.Account.appid == account.appid)
    )
    current = storage.locked(query).get_or_none()
    if current is None or not security.same(current.password_hash, account.password_hash):
        raise ApiError("invalid-password")
    return current


def verify_password(account: storage.Account, password: str) -> None:
    """Raise ``invalid-password`` unless ``password`` is the account's."""
    if not password_matches(account, password):
        raise ApiError("invalid-password")


def new_password_hash(password: str) -> str:
    config = current_config()
    return security.hash_password(password, config.encryption_key, config.bcrypt_workload_factor)


def check_length(value: str, kind: str, code: str) -> None:
    """Raise ``code`` unless ``value`` has the configured length for ``kind``."""
    config = current_config()
    low = getattr(config, f"minimum_{kind}_length")
    high = getattr(config, f"maximum_{kind}_length")
    if not low <= len(value) <= high:
        raise ApiError(code)


def of_account(appid: str, accountid: str) -> Any:
    """The condition that selects an account's sessions."""
    return (storage.Session.account == accountid) & (storage.Session.appid == appid)


def updated(appid: str, accountid: str, *other_ids: str) -> dict[str, Any]:
    """After a committed write: forget the cached rows, return the fresh Account object."""
    cache = current_cache()
    cache.invalidate(appid, accountid, *other_ids)
    return storage.public_account(storage.data(row(appid, accountid)))


def renumber_sessions(appid: str, accountid: str, now: datetime, keep: str | None = None) -> None:
    """End every session of the account at once, but ``keep``; inside the caller's transaction.

    Sessions carry the account's session-key number from when they began; a new number
    makes all of them stale in one write, including any sign-in racing with this one.
    """
    account = (storage.Account.accountid == accountid) & (storage.Account.appid == appid)
    storage.Account.update(
        {
            storage.Account.session_key_number: storage.Account.session_key_number + 1,
            storage.Account.session_key_last_reset_at: now,
            storage.Account.updated_at: now,
        }
    ).where(account).execute()
    if keep is not None:
        # The kept session moves to the new number with its account. The session key is
        # not changed, so the kept session's token hash, bound to that key, still matches.
        number = storage.Account.select(storage.Account.session_key_number).where(account).scalar()
        storage.Session.update(session_key_number=number, updated_at=now).where(
            (storage.Session.sessionid == keep) & (storage.Session.account == accountid)
        ).execute()
