"""The one source of the current time, so tests can control it."""

from __future__ import annotations

from datetime import datetime, timezone


def now() -> datetime:
    """The current UTC time, naive, to the millisecond (as the API reports times)."""
    moment = datetime.now(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def iso(moment: datetime | None) -> str | None:
    """``2022-06-24T03:02:56.000Z`` for a naive UTC datetime; None stays None."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds") + "Z"  # C code: strftime costs 3x
