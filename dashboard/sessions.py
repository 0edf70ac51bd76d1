"""Sessions: starting one, when one ended, and whether credentials name a valid one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import peewee

from dashboard import clock, events, factors, lookup, metrics, objects, params, security, storage
from dashboard.cache import current_cache
from dashboard.config import Config, current_config
from dashboard.errors import ApiError
from dashboard.req import Req

DEFAULT_DURATION = 20 * 60
DURATIONS = {"hours": 8 * 60 * 60, "days": 30 * 24 * 60 * 60}


def ended_at(session: dict[str, Any], account: dict[str, Any]) -> datetime | None:
    """When the session stopped being valid (the earliest reason), or None while valid."""
    reasons = []
    if session["ended_at"] is not None:
        reasons.append(session["ended_at"])
    if session["session_key_number"] != account["session_key_number"]:
        reasons.append(account["session_key_last_reset_at"] or session["created_at"])
    deadline = ends(session)
    if clock.now() >= deadline:
        reasons.append(deadline)
    return min(reasons) if reasons else None


def ends(session: dict[str, Any]) -> datetime:
    """When a valid session ends by the clock alone: it expires, or its second step
    never came."""
    waits_until: datetime | None = session.get("second_step_until")
    expires_at: datetime = session["expires_at"]
    return min(expires_at, waits_until) if waits_until is not None else expires_at


def still_valid(session_key_number: Any) -> Any:
    """The SQL condition of ended_at() being None now, for sessions of an account whose
    key number is ``session_key_number``: a number (one account's sessions), or the
    column Account.session_key_number (sessions joined to their accounts)."""
    return (
        storage.Session.ended_at.is_null()
        & (storage.Session.expires_at > clock.now())
        & (
            storage.Session.second_step_until.is_null()
            | (storage.Session.second_step_until > clock.now())
        )
        & (storage.Session.session_key_number == session_key_number)
    )


def verified_lately(session: dict[str, Any], seconds: int) -> bool:
    """Whether the session was signed in or verified within ``seconds``."""
    verified_at: datetime = session["last_verified_at"]
    return clock.now() - verified_at <= timedelta(seconds=seconds)


# What an administrator sees of a session: all but its CSRF token, the holder's alone.
ADMINISTRATOR_FIELDS = tuple(field for field in objects.SESSION_FIELDS if field[0] != "csrfToken")


def public(
    session: dict[str, Any],
    account: dict[str, Any],
    fields: tuple[tuple[str, str], ...] = objects.SESSION_FIELDS,
) -> dict[str, Any]:
    """The Session object for a session row and its account's row (with ``fields``)."""
    return objects.public_session(session, ended_at(session, account), fields)


def start(
    account: storage.Account,
    remember: str | None,
    ip: str | None,
    user_agent: str | None,
    now: datetime,
    complete: bool = False,
) -> tuple[storage.Session, str]:
    """Create a session for ``account`` in the caller's transaction; returns it and its
    token. ``complete``: a sign-in that needs no second step (a passkey's)."""
    config = current_config()
    duration = DURATIONS.get(remember or "", DEFAULT_DURATION)
    token = security.new_token()
    session = storage.Session.create(
        sessionid=security.new_id("sess"),
        appid=account.appid,
        account=account.accountid,
        token_hash=security.token_hash(
            account.accountid,
            token,
            account.session_key,
            config.keys.encryption,
            config.keys.session,
        ),
        csrf_token=security.new_token(),
        duration=duration,
        expires_at=now + timedelta(seconds=duration),
        last_verified_at=now,
        session_key_number=account.session_key_number,
        ip_address=params.ip_address(ip),
        user_agent=params.printable(user_agent, params.MAXIMUM_USER_AGENT),
        second_step_until=None if complete else factors.second_step_until(account, now),
        second_step_tries=0,
        created_at=now,
        updated_at=now,
    )
    return session, token


def signed_in(
    account: storage.Account, req: Req, now: datetime, complete: bool = False
) -> tuple[storage.Session, str]:
    """Inside a write, on the account's locked row: a sign-in that proved the account,
    its session and token; ``invalid-account`` when it is scheduled for deletion."""
    if account.deleted_at is not None:
        raise ApiError("invalid-account")
    storage.Account.update(last_signed_in_at=now).where(
        storage.Account.accountid == account.accountid
    ).execute()
    account.last_signed_in_at = now
    metrics.count(account.appid, "sessions-created", now)
    remember = (req.get("body") or {}).get("remember")
    return start(account, remember, req.get("ip"), req.get("userAgent"), now, complete)


def answer(
    account: storage.Account, session: storage.Session, token: str, req: Req
) -> dict[str, Any]:
    """After a sign-in's commit: its events, and the Session it answers, with its token."""
    appid, accountid = account.appid, account.accountid
    current_cache().invalidate(appid, accountid)
    for signal in (events.sign_in_succeeded, events.session_created):
        events.emit(signal, appid, accountid, session.sessionid, req.get("ip"))
    result = public(storage.data(session), storage.data(account))
    result["token"] = token
    return result


def authenticate(
    config: Config,
    sessionid: str,
    token: str | None,
    accountid: str | None = None,
    database: peewee.Database | None = None,
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The (account, session) rows the credentials prove, or None: the one rule of
    which sessions sign a request in, for the API and the gateway alike.

    ``token`` None is only for the application server, which proved itself with its own
    token and names the account instead. Which check failed is never told.
    ``database``: the app's, where no app context binds storage.db.
    """
    if not security.is_id(sessionid, "sess"):
        return None
    found = lookup.session_with_account(sessionid, config.appid, database)
    if found is None:
        return None
    session, account, secrets = found
    if token is None:
        proven = security.same(accountid, account["accountid"])
    else:
        expected = security.token_hash(
            account["accountid"],
            token,
            secrets["session_key"],
            config.keys.encryption,
            config.keys.session,
        )
        proven = security.same(expected, secrets["token_hash"])
    if not proven or account["deleted_at"] is not None or ended_at(session, account):
        return None
    return account, session
