"""PATCH /api/user/reset-session-key: end every session of the account at once."""

from __future__ import annotations

from typing import Any

from dashboard import access, clock, events, security, storage
from dashboard.cache import current_cache


def patch(req: dict[str, Any]) -> bool:
    account = access.owned_account(req)
    now = clock.now()
    with storage.write():
        # A new key unbinds every token hash; the incremented number (the original
        # stored the old one) makes every session's number stale.
        storage.Account.update(
            {
                storage.Account.session_key: security.new_token(),
                storage.Account.session_key_number: storage.Account.session_key_number + 1,
                storage.Account.session_key_last_reset_at: now,
                storage.Account.updated_at: now,
            }
        ).where(storage.Account.accountid == account["accountid"]).execute()
    current_cache().invalidate(access.appid(req), account["accountid"])
    events.emit(
        events.session_key_reset,
        access.appid(req),
        account["accountid"],
        (req.get("session") or {}).get("sessionid"),
        req.get("ip"),
    )
    return True
