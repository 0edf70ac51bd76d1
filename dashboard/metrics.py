"""Metrics: how many of each kind of write, per day, month, year and in total.

Each count is added in the transaction of the write it counts, with one atomic upsert
of its four rows (value = value + 1), so it is exact however many writers run at once, and a
write that rolls back is not counted. DISABLE_METRICS=true turns counting off.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from peewee import EXCLUDED

from dashboard import storage
from dashboard.config import current_config
from dashboard.errors import ApiError

NAMES = (
    "accounts-created",
    "sessions-created",
    "session-keys-reset",
    "passwords-changed",
    "passwords-reset",
    "accounts-deleted",
    "reset-codes-created",
    "second-factors-added",
    "second-factor-failures",
)
KEY = re.compile(r"(?P<name>[a-z-]+)/(?P<date>[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|total)")


def count(appid: str, name: str, now: datetime, by: int = 1) -> None:
    """Inside a write: add ``by`` to the ``name`` counts of ``now``'s day, month, year and total."""
    if name not in NAMES:
        raise ValueError(f"unknown metric {name!r}")
    if current_config().disable_metrics or by == 0:
        return
    # One statement for the four rows, always in the same order: concurrent writers lock
    # them in that order, so they never deadlock.
    date_keys = (now.strftime("%Y-%m-%d"), now.strftime("%Y-%m"), now.strftime("%Y"), "total")
    rows = [{"appid": appid, "name": name, "date_key": key, "value": by} for key in date_keys]
    storage.Metric.insert_many(rows).on_conflict(
        conflict_target=[storage.Metric.appid, storage.Metric.name, storage.Metric.date_key],
        update={storage.Metric.value: storage.Metric.value + EXCLUDED.value},
    ).execute()


def parse_keys(text: str | None) -> list[tuple[str, str]]:
    """``name/YYYY,name/total,...`` as (name, date key) pairs, in the order given."""
    if not text:
        raise ApiError("invalid-keys")
    pairs = []
    for key in text.split(","):
        matched = KEY.fullmatch(key.strip())
        if not matched or matched["name"] not in NAMES or not _real_date(matched["date"]):
            raise ApiError("invalid-key")
        pairs.append((matched["name"], matched["date"]))
    return pairs


def values(appid: str, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The Metric objects of ``pairs``, in order; 0 where nothing was counted."""
    rows = storage.Metric.select().where(
        (storage.Metric.appid == appid)
        & storage.Metric.name.in_([name for name, _ in pairs])
        & storage.Metric.date_key.in_([date for _, date in pairs])
    )
    found = {(row.name, row.date_key): row.value for row in rows}
    return [
        {
            "object": "metric",
            "appid": appid,
            "name": name,
            "dateKey": date,
            "value": found.get((name, date), 0),
        }
        for name, date in pairs
    ]


def _real_date(date_key: str) -> bool:
    if date_key == "total":
        return True
    parts = [int(part) for part in date_key.split("-")]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return False
    if len(parts) > 2:
        try:
            datetime(parts[0], parts[1], parts[2])
        except ValueError:
            return False
    return True
