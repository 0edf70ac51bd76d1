"""A dependency that stopped answering: said once, not asked again for a while."""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("dashboard")


def reason(error: BaseException) -> str:
    """What a failing dependency's driver said, its first line only: for log lines and
    refusals (libpq's messages span lines)."""
    lines = str(error).strip().splitlines()
    return " ".join(lines[0].split())[:300] if lines else type(error).__name__


class Outage:
    """Tracks one dependency (the database, the cache) for one process.

    After a failure, ``available()`` is False for ``retry_seconds``: callers skip the
    dependency at once instead of each waiting for its timeout. Then one caller is let
    through to try again; the others keep skipping until it reports. The start of an
    outage is one warning, its end one line saying how long it lasted.
    """

    def __init__(self, name: str, retry_seconds: float) -> None:
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._since: float | None = None  # monotonic time the outage began
        self._retry_at = 0.0
        self.begun = 0  # how many outages have begun: a wait that sees it change gives up

    @property
    def active(self) -> bool:
        return self._since is not None

    def available(self) -> bool:
        """Whether to call the dependency now; the first caller after a back-off tries."""
        if self._since is None:
            return True
        with self._lock:
            now = time.monotonic()
            if self._since is None or now >= self._retry_at:
                self._retry_at = now + self.retry_seconds  # the others wait for this try
                return True
            return False

    def failed(self, error: BaseException) -> None:
        """The dependency failed: skip it for ``retry_seconds``."""
        with self._lock:
            now = time.monotonic()
            self._retry_at = now + self.retry_seconds
            if self._since is not None:
                return
            self._since = now
            self.begun += 1
        log.warning(
            "%s unavailable (%s: %s); trying again every %g s",
            self.name,
            type(error).__name__,
            reason(error),
            self.retry_seconds,
        )

    def succeeded(self) -> None:
        """The dependency answered."""
        if self._since is None:
            return
        with self._lock:
            since, self._since = self._since, None
        if since is not None:
            log.warning("%s available again after %.1f s", self.name, time.monotonic() - since)
