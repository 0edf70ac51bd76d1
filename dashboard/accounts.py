"""Account logic shared by routes: credentials, password checks, ending sessions.

Usernames and passwords are kept in the form RFC 8265 prepares (credentials.py).
Accounts made before that (schema version 2) keep the form they were made with until
their next sign-in or username change: their username is found in either form, and
their password is compared as it was hashed (``password_prepared``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import peewee
from typing_extensions import TypeIs

from dashboard import credentials, metrics, objects, security, storage
from dashboard.config import current_config
from dashboard.errors import ApiError


def prepared(text: str, kind: str, code: str) -> str:
    """``text`` prepared as a new ``kind`` ("username" or "password") of the configured
    length, or raise ``code`` (the preparation refuses it) or ``code``-length."""
    longest = getattr(current_config(), f"maximum_{kind}_length")
    if len(text) > 4 * longest:  # too long to prepare into the limit: not prepared at all
        raise ApiError(f"{code}-length")
    result: str | None = getattr(credentials, kind)(text, longest)
    if result is None:
        raise ApiError(code)
    check_length(result, kind, f"{code}-length")
    return result


def create(
    appid: str, username: str, password_hash: str, now: datetime, accountid: str | None = None
) -> storage.Account:
    """Inside a write: a new account (of ``accountid``, or a new id) of a prepared username
    and a hashed password (hashed before the write: bcrypt must not hold the write lock);
    ``duplicate-username`` when the username is taken in this appid. Registration and the
    operator's create-account both make accounts here."""
    try:
        with storage.db.atomic():  # a savepoint: a clash undoes this insert alone
            account = storage.Account.create(
                accountid=accountid or security.new_id("acct"),
                appid=appid,
                username_hash=security.username_hash(username, current_config().keys.encryption),
                password_hash=password_hash,
                password_prepared=True,
                session_key=security.new_token(),
                created_at=now,
                updated_at=now,
            )
    except peewee.IntegrityError:
        raise ApiError("duplicate-username") from None
    metrics.count(appid, "accounts-created", now)
    return account


def by_username(appid: str, username: str) -> storage.Account | None:
    """The account with this username in this appid, or None.

    The username is looked up as typed (how accounts made before preparation stored it)
    and prepared; an account holding the form exactly as typed comes first.
    """
    hashes = _username_hashes(username)
    found = storage.Account.select().where(
        (storage.Account.appid == appid) & storage.Account.username_hash.in_(hashes)
    )
    return min(found, key=lambda account: hashes.index(account.username_hash), default=None)


def username_matches(account: storage.Account, username: str) -> bool:
    """Whether ``username``, as typed or prepared, is the account's."""
    return any(security.same(each, account.username_hash) for each in _username_hashes(username))


def _username_hashes(username: str) -> list[str]:
    config = current_config()
    forms = [username, credentials.username(username, config.maximum_username_length)]
    hashes = [security.username_hash(form, config.keys.encryption) for form in forms if form]
    return list(dict.fromkeys(hashes))


def password_matches(account: storage.Account | None, password: str) -> TypeIs[storage.Account]:
    """One bcrypt comparison, whether or not there is an account.

    With no account, or a password that cannot be the account's (one the preparation
    refuses), the password is compared against a dummy hash of the configured cost, so
    an unknown username takes as long as a wrong password.
    """
    config = current_config()
    form: str | None = password
    if account is None or account.password_prepared:
        form = credentials.password(password, config.maximum_password_length)
    if account is None or form is None:
        dummy = security.dummy_password_hash(config.bcrypt_workload_factor)
        security.check_password(password, dummy, config.keys.encryption)
        return False
    return security.check_password(form, account.password_hash, config.keys.encryption)


def upgrade(account: storage.Account, password: str) -> dict[Any, Any]:
    """Changes that bring a signed-in account's password hash to the current form.

    The configured bcrypt cost, and the prepared password where the account's was hashed
    before preparation (one the preparation refuses stays as it is). Hashed here, before
    the caller's transaction: bcrypt must not hold the write lock.
    """
    config = current_config()
    prepared = credentials.password(password, config.maximum_password_length)
    if (account.password_prepared or prepared is None) and security.password_cost(
        account.password_hash
    ) >= config.bcrypt_workload_factor:
        return {}
    return {
        storage.Account.password_hash: new_password_hash(prepared or password),
        storage.Account.password_prepared: prepared is not None,
    }


def prepare_username(account: storage.Account, username: str) -> None:
    """Inside a write: store the account's username in its prepared form, if it can be.

    An account made before preparation whose prepared form another account already has
    (``Ada`` beside ``ada``) keeps its own form: both still sign in as they always did.
    """
    config = current_config()
    prepared = credentials.username(username, config.maximum_username_length)
    if prepared is None:
        return
    prepared_hash = security.username_hash(prepared, config.keys.encryption)
    if security.same(prepared_hash, account.username_hash):
        return
    try:
        with storage.db.atomic():  # a savepoint: a clash undoes this change alone
            storage.Account.update(username_hash=prepared_hash).where(
                storage.Account.accountid == account.accountid
            ).execute()
    except peewee.IntegrityError:
        pass


def row(appid: str, accountid: str) -> storage.Account:
    """The account's full row, secrets included, for checks that need them;
    ``invalid-account`` when it is gone (deleted since the request read it)."""
    found = storage.Account.get_or_none(
        (storage.Account.accountid == accountid) & (storage.Account.appid == appid)
    )
    if found is None:
        raise ApiError("invalid-account")
    return found


def proven(account: storage.Account) -> storage.Account:
    """Inside a write: the account's current row, locked, still with the password proven.

    ``account`` is the row whose password the caller checked before the transaction
    (bcrypt must not hold the write lock). If the password changed since, that proof is
    stale: ``invalid-password``, as if it had been checked now. The lock (PostgreSQL
    FOR UPDATE; SQLite's write lock) keeps the row as read until the caller commits, so
    its key, key number and deletion state are the ones its writes build on.
    """
    current = locked(account.appid, account.accountid)
    if not security.same(current.password_hash, account.password_hash):
        raise ApiError("invalid-password")
    return current


def locked(appid: str, accountid: str) -> storage.Account:
    """Inside a write: the account's current row, locked until the caller commits.

    Every write to an account, or to what it holds, takes this lock first: writes to one
    account happen one after another, and none of them finds it gone halfway (deleted
    meanwhile: ``invalid-account``, and nothing is written).
    """
    query = storage.Account.select().where(
        (storage.Account.accountid == accountid) & (storage.Account.appid == appid)
    )
    found: storage.Account | None = storage.locked(query).get_or_none()
    if found is None:
        raise ApiError("invalid-account")
    return found


def verify_password(account: storage.Account, password: str) -> None:
    """Raise ``invalid-password`` unless ``password`` is the account's."""
    if not password_matches(account, password):
        raise ApiError("invalid-password")


def new_password_hash(password: str) -> str:
    config = current_config()
    return security.hash_password(password, config.keys.encryption, config.bcrypt_workload_factor)


def check_length(value: str, kind: str, code: str) -> None:
    """Raise ``code`` unless ``value`` has the configured length for ``kind``."""
    config = current_config()
    low = getattr(config, f"minimum_{kind}_length")
    high = getattr(config, f"maximum_{kind}_length")
    if not low <= len(value) <= high:
        raise ApiError(code)


def public(appid: str, accountid: str) -> dict[str, Any]:
    """Inside a write, at its end: the Account object as the write leaves it.

    Read before the commit, under the write's lock: what a route answers is what it
    wrote, whatever another write does to the account the moment after.
    """
    return objects.public_account(storage.data(row(appid, accountid)))


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


def reset_session_key(appid: str, accountid: str, now: datetime) -> None:
    """Inside a write: end every session of the account at once.

    A new number (the original stored the old one) makes every session stale; a new
    key unbinds every token hash as well.
    """
    renumber_sessions(appid, accountid, now)
    storage.Account.update(session_key=security.new_token()).where(
        storage.Account.accountid == accountid
    ).execute()
    metrics.count(appid, "session-keys-reset", now)


def schedule_deletion(appid: str, accountid: str, now: datetime) -> None:
    """Inside a write: the account goes in DELETE_DELAY days; its sessions end now.

    A new key number ends them for good: undoing the deletion brings none back.
    """
    storage.Account.update(
        deleted_at=now + timedelta(days=current_config().delete_delay), updated_at=now
    ).where(storage.Account.accountid == accountid).execute()
    renumber_sessions(appid, accountid, now)


def remove(appid: str, accountid: str, now: datetime) -> None:
    """Inside a write: the account, its sessions, profiles and reset codes, gone."""
    for model in (storage.Session, storage.Profile, storage.ResetCode):
        model.delete().where(model.account == accountid).execute()
    storage.Account.delete().where(
        (storage.Account.accountid == accountid) & (storage.Account.appid == appid)
    ).execute()
    metrics.count(appid, "accounts-deleted", now)
