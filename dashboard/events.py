"""Events: a Flask signal an embedding app can connect to, and one log line each.

Receivers get the app as sender and keyword arguments ``appid``, ``accountid``,
``sessionid`` and ``ip`` (any may be None). Nothing secret is ever passed or logged.
"""

from __future__ import annotations

import logging
from typing import Any

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
second_factor_added = signals.signal("second-factor-added")  # extra ``kind``: totp, passkey
second_factor_removed = signals.signal("second-factor-removed")
second_factor_failed = signals.signal("second-factor-failed")  # a wrong second step
# every write of an administrator: extra ``administrator`` (its accountid) and ``action``
administrator_action = signals.signal("administrator-action")


def emit(
    signal: NamedSignal,
    appid: str,
    accountid: str | None = None,
    sessionid: str | None = None,
    ip: str | None = None,
    **extra: str,
) -> None:
    """Log one structured line for the event and send its signal.

    ``extra`` are more names (never secrets), added to both.
    """
    log.info(
        "event=%s appid=%s accountid=%s sessionid=%s ip=%s" + " %s=%s" * len(extra),
        signal.name,
        appid,
        accountid or "-",
        sessionid or "-",
        ip or "-",
        *(item for pair in extra.items() for item in pair),
    )
    names: dict[str, Any] = {
        "appid": appid,
        "accountid": accountid,
        "sessionid": sessionid,
        "ip": ip,
        **extra,
    }
    signal.send(current_app._get_current_object(), **names)  # type: ignore[attr-defined]
