"""How long a revocation takes to reach another host: from a reset-session-key answered
on host A to the first 401 for that session on host B, where every worker of B had the
session in its near cache (--scale-out: two services on one PostgreSQL and one Redis)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

POLL_LIMIT_SECONDS = 5.0


def milliseconds(a: str, b: str, username: str, password: str, tries: int) -> list[float]:
    """For each of ``tries``: sign in on A, read through B until each of its workers
    keeps the session, reset the account's session key on A, then ask B until it
    refuses; the time from A's answer to B's first 401, in milliseconds."""
    took = []
    for _ in range(tries):
        session = _call(
            "POST",
            f"{a}/api/user/create-session",
            form={"username": username, "password": password},
        )
        bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
        account = f"/api/user/account?accountid={session['accountid']}"
        for _ in range(8):  # every worker of B, more than once
            _status(f"{b}{account}", bearer)
        _call(
            "PATCH",
            f"{a}/api/user/reset-session-key?accountid={session['accountid']}",
            headers=bearer,
        )
        answered = time.perf_counter()
        while _status(f"{b}{account}", bearer) != 401:
            if time.perf_counter() - answered > POLL_LIMIT_SECONDS:
                raise RuntimeError("host B still accepts a session ended on host A")
        took.append((time.perf_counter() - answered) * 1000)
    return took


def _status(url: str, headers: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=30
        ) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _call(
    method: str, url: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> Any:
    data = "&".join(f"{name}={value}" for name, value in (form or {}).items()).encode() or None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())
