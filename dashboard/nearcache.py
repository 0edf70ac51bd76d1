"""The near cache: each worker's own copy of the hot path's rows (a session joined to its
account, lookup.session_with_account), so that a signed-in request on many hosts costs no
round trip to PostgreSQL or Redis.

It is kept right by invalidations: every write invalidates the rows it changed when it
commits (StorageCache.invalidate), which drops them here at once and publishes their
keys on Redis (CHANNEL); every worker of every host subscribes and drops them before it
answers from memory again. An account's key drops all of its sessions.

It fails closed. It answers only while its subscription is up and heard: a worker whose
connection to Redis is lost, or whose pings go unanswered for SILENT_SECONDS (a message
lost in between cannot be told from silence), empties it and reads the database until it
has subscribed again. Entries live at most ENTRY_SECONDS even when all is well: the bound
of a write whose publish failed. A row read from the database while an invalidation came
is not kept (``version``). With no Redis (CACHE_URL is not redis://) there is no near
cache at all.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("dashboard")

CHANNEL = "dashboard/invalidations"
ENTRY_SECONDS = 2.0
PING_SECONDS = 0.25
SILENT_SECONDS = 0.75
RECONNECT_SECONDS = 0.5
MAXIMUM_ENTRIES = 10_000  # about 3 KB each; 5,000 new sessions a second, at 2 s each


class NearCache:
    """One process's near cache; its listening thread starts with the first read in
    each process (a worker forked from a preloaded app starts its own)."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self._connect = connect  # a new Redis client
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Any]] = {}  # appid/sessionid -> (until, found)
        self._sessions: dict[str, set[str]] = {}  # appid/accountid -> its session keys
        self._listening = False
        self._version = 0  # moves on with every invalidation and every loss of hearing
        self._pid: int | None = None
        self._stop = threading.Event()
        self.sender = secrets.token_hex(8)  # its own messages: dropped already, when sent

    def read(self, appid: str, sessionid: str, load: Callable[[], Any]) -> Any:
        """The rows of ``sessionid``: from memory while it is sure, else ``load()`` (the
        database), kept when no invalidation came while it loaded."""
        self._start()
        key = f"{appid}/{sessionid}"
        with self._lock:
            listening, version = self._listening, self._version
            entry = self._entries.get(key) if listening else None
        if entry is not None and entry[0] > time.monotonic():
            session, account, secrets = entry[1]
            return dict(session), dict(account), secrets  # the caller's to change
        found = load()
        if found is not None and listening:
            self._keep(key, f"{appid}/{found[1]['accountid']}", found, version)
        return found

    def drop(self, keys: Iterable[str]) -> None:
        """Forget the rows of these ``appid/id`` keys: sessions, or all of an account's."""
        with self._lock:
            self._version += 1
            for key in keys:
                self._entries.pop(key, None)
                for session_key in self._sessions.pop(key, ()):
                    self._entries.pop(session_key, None)

    def version(self) -> tuple[NearCache, int] | None:
        """What moves with every invalidation it hears, while it hears them (else None)."""
        self._start()
        with self._lock:
            return (self, self._version) if self._listening else None

    @property
    def listening(self) -> bool:
        return self._listening

    def close(self) -> None:
        self._stop.set()

    def _keep(self, key: str, account_key: str, found: Any, version: int) -> None:
        with self._lock:
            if not self._listening or version != self._version:
                return  # an invalidation came, or hearing was lost, while it loaded
            if len(self._entries) >= MAXIMUM_ENTRIES:
                self._prune()
            self._entries[key] = (time.monotonic() + ENTRY_SECONDS, found)
            self._sessions.setdefault(account_key, set()).add(key)

    def _prune(self) -> None:
        # Full: the expired entries go; still full, all of them (a worker's memory is
        # bounded, and a miss only costs a read).
        now = time.monotonic()
        for key in [key for key, (until, _) in self._entries.items() if until <= now]:
            del self._entries[key]
        if len(self._entries) >= MAXIMUM_ENTRIES:
            self._entries.clear()
        live = self._entries.keys()
        self._sessions = {
            account: kept for account, keys in self._sessions.items() if (kept := keys & live)
        }

    def _hearing(self, listening: bool) -> None:
        # Either way the entries go: kept while it might have missed a message, they
        # could be stale.
        with self._lock:
            self._listening = listening
            self._version += 1
            self._entries.clear()
            self._sessions.clear()

    def _start(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._listening = False
            self._entries.clear()
            self._sessions.clear()
        threading.Thread(target=self._listen, name="dashboard-near-cache", daemon=True).start()

    def _listen(self) -> None:
        pid = self._pid
        while not self._stop.is_set() and self._pid == pid:
            try:
                self._subscribed()
            except Exception as error:  # noqa: BLE001 - any failure of Redis: fail closed
                if self._listening:
                    log.warning("near cache: invalidations lost (%s): reading the database", error)
            self._hearing(False)
            self._stop.wait(RECONNECT_SECONDS)

    def _subscribed(self) -> None:
        client = self._connect()
        pubsub = client.pubsub()
        try:
            pubsub.subscribe(CHANNEL)
            heard = pinged = time.monotonic()
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=PING_SECONDS / 2)
                now = time.monotonic()
                if message is not None:
                    heard = now
                    self._heard(message)
                if now - heard > SILENT_SECONDS:
                    raise TimeoutError(f"Redis silent for {SILENT_SECONDS} s")
                if now - pinged >= PING_SECONDS:
                    pubsub.ping()
                    pinged = now
        finally:
            pubsub.close()
            client.close()

    def _heard(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "subscribe":
            self._hearing(True)
        elif kind == "message":
            data = message.get("data") or b""
            sender, _, keys = (data.decode() if isinstance(data, bytes) else str(data)).partition(
                " "
            )
            if sender != self.sender:
                self.drop(key for key in keys.split(",") if key)


def publish(client: Any, near: NearCache, keys: Iterable[str]) -> None:
    """Tell every other worker's near cache to forget these ``appid/id`` keys."""
    client.publish(CHANNEL, f"{near.sender} {','.join(keys)}")


# Each app's database, and its near cache: the hot path is handed the database alone.
_OF_DATABASE: weakref.WeakKeyDictionary[Any, NearCache] = weakref.WeakKeyDictionary()


def attach(database: Any, near: NearCache) -> None:
    _OF_DATABASE[database] = near


def of(database: Any) -> NearCache | None:
    return _OF_DATABASE.get(database)
