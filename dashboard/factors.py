"""Second factors (DESIGN.md §15): which an account has, and the second step of a
sign-in that waits for one.

An account with a second factor signs in in two steps: create-session makes a session
that waits for it (``second_step_until``), which authenticates nothing but
user/complete-session (auth.required), for SECOND_STEP_SECONDS and SECOND_STEP_TRIES
wrong tries; completed, it is an ordinary session.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dashboard import storage

KINDS = ("totp", "passkey")
SECOND_STEP_SECONDS = 5 * 60
SECOND_STEP_TRIES = 5


def kinds(account: dict[str, Any]) -> list[str]:
    """The kinds of second factor an account row has, in KINDS' order."""
    present = set((account.get("second_factors") or "").split(","))
    return [kind for kind in KINDS if kind in present]


def refresh(appid: str, accountid: str, now: datetime) -> None:
    """Inside a write: the account's second_factors, from what its tables hold now."""
    totp = storage.Totp.select().where(
        (storage.Totp.account == accountid)
        & (storage.Totp.appid == appid)
        & storage.Totp.confirmed_at.is_null(False)
    )
    passkey = storage.Passkey.select().where(
        (storage.Passkey.account == accountid) & (storage.Passkey.appid == appid)
    )
    present = [kind for kind, rows in (("totp", totp), ("passkey", passkey)) if rows.exists()]
    storage.Account.update(second_factors=",".join(present), updated_at=now).where(
        (storage.Account.accountid == accountid) & (storage.Account.appid == appid)
    ).execute()


def second_step_until(account: storage.Account, now: datetime) -> datetime | None:
    """When a sign-in of ``account`` starting ``now`` must have had its second step by,
    or None: it has no second factor, and its sign-in is complete at once."""
    if not account.second_factors:  # no kind at all: the one column, not the whole row
        return None
    return now + timedelta(seconds=SECOND_STEP_SECONDS)


def waiting(session: dict[str, Any]) -> bool:
    """Whether a session row's sign-in waits for its second factor."""
    return session.get("second_step_until") is not None
