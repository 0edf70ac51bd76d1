"""Kept answers: a signed-in GET answered again from memory while nothing has changed.

The gateway (gateway.py) keeps the encoded answer (status, headers, body) of a 200 to a
GET of a route that declares ``KEPT`` (its answer is made of rows alone: nothing in it
moves with the clock), for a request whose one credential is a bearer token. The same
path, query string and Authorization header are answered from it while all of these
hold, and otherwise as any request is:

- the database has not changed since it was made (``version``): SQLite's
  ``PRAGMA data_version`` moves with every commit of any other connection, in any
  process, and the connection's own ``total_changes`` with each of its own writes; with
  Redis, the near cache's version moves with every invalidation it hears, from any host,
  while it hears them (on SQLite too: the rows may come from the near cache). Any write
  drops every kept answer: the rule has no exceptions to get wrong, and a write costs
  the next request of each session one ordinary answer.
  PostgreSQL without Redis keeps none: nothing tells it of another host's writes;
- it is younger than ENTRY_SECONDS (the bound of an invalidation whose publish failed,
  as in the near cache);
- the session that signed the request in has not ended by the clock (``until``).

Each thread keeps its own (a SQLite connection's versions are the thread's own), at most
MAXIMUM_ENTRIES. Tokens are not kept in the clear: an entry's key holds a digest of the
Authorization header.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Hashable
from datetime import datetime
from typing import Any

import peewee

from dashboard import clock, nearcache

ENTRY_SECONDS = 2.0
MAXIMUM_ENTRIES = 1_000  # each thread's; a few hundred bytes each

Key = tuple[str, str, bytes]
# what was answered, the version it was made at, when it was made, when its session ends
Entry = tuple[Any, Hashable, float, datetime | None]


class Answers:
    """The kept answers of one app's database."""

    def __init__(self, database: peewee.Database | None) -> None:
        self.database = database
        self.sqlite = isinstance(database, peewee.SqliteDatabase)
        self._local = threading.local()

    def key(self, path: str, query: str, authorization: str) -> Key:
        digest = hashlib.blake2b(authorization.encode(), digest_size=16).digest()
        return path, query, digest

    def version(self) -> Hashable | None:
        """What moves whenever the database changes, now; None: nothing may be kept (or
        it could not be read: the request goes the ordinary way, which says why).

        With a near cache, its version too, even on SQLite: an answer may be made of the
        near cache's rows, which a write on another host makes stale until it is heard."""
        database = self.database
        try:
            near = nearcache.of(database) if database is not None else None
            heard = near.version() if near is not None else ()
            if heard is None:
                return None  # deaf: it may have missed a write
            if self.sqlite:
                connection = self.database.connection()  # type: ignore[union-attr]
                changed = connection.execute("PRAGMA data_version").fetchone()[0]
                return connection, changed, connection.total_changes, heard
            return heard or None
        except Exception:  # noqa: BLE001 - a database that fails keeps nothing
            return None

    def get(self, key: Key) -> Any:
        """The answer kept for ``key``, if it still holds."""
        entry: Entry | None = self._entries().get(key)
        if entry is None:
            return None
        answer, version, made, until = entry
        if (
            time.monotonic() - made < ENTRY_SECONDS
            and (until is None or clock.now() < until)
            and version == self.version()
        ):
            return answer
        return None

    def keep(self, key: Key, answer: Any, version: Hashable, until: datetime | None) -> None:
        """Keep ``answer``, made from the database at ``version`` (read before it was
        made), for a session that ends by the clock at ``until``."""
        entries = self._entries()
        if len(entries) >= MAXIMUM_ENTRIES:
            entries.clear()  # a miss costs one ordinary answer
        entries[key] = (answer, version, time.monotonic(), until)

    def _entries(self) -> dict[Key, Entry]:
        entries: dict[Key, Entry] | None = getattr(self._local, "entries", None)
        if entries is None:
            entries = self._local.entries = {}
        return entries
