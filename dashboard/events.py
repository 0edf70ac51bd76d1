"""Events: a Flask signal an embedding app can connect to, and one log line each.

Receivers get the app as sender and keyword arguments ``appid``, ``accountid``,
``sessionid`` and ``ip`` (any may be None). Nothing secret is ever passed or logged.
"""

from __future__ import annotations

import logging

from blinker import NamedSignal, Namespace
from flask import current_app

log = logging.getLogger("dashboard.events")
signals = Namespace()

sign_in_succeeded = signals.signal("sign-in-succeeded")
sign_in_failed = signals.signal("sign-in-failed")
session_created = signals.signal("session-created")
session_ended = signals.signal("session-ended")
session_key_reset = signals.signal("session-key-reset")
password_changed = signals.signal("password-changed")
username_changed = signals.signal("username-changed")
account_deleted = signals.signal("account-deleted")
account_restored = signals.signal("account-restored")
profile_created = signals.signal("profile-created")
profile_updated = signals.signal("profile-updated")
profile_deleted = signals.signal("profile-deleted")
reset_code_created = signals.signal("reset-code-created")
reset_code_deleted = signals.signal("reset-code-deleted")
password_reset = signals.signal("password-reset")


def emit(
    signal: NamedSignal,
    appid: str,
    accountid: str | None = None,
    sessionid: str | None = None,
    ip: str | None = None,
) -> None:
    """Log one structured line for the event and send its signal."""
    log.info(
        "event=%s appid=%s accountid=%s sessionid=%s ip=%s",
        signal.name,
        appid,
        accountid or "-",
        sessionid or "-",
        ip or "-",
    )
    signal.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        appid=appid,
        accountid=accountid,
        sessionid=sessionid,
        ip=ip,
    )
