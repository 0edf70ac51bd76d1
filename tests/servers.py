"""Start the service for real (gunicorn, uWSGI) on a free loopback port, for tests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def service_environment(database: Path, **extra: str) -> dict[str, str]:
    """The environment of a test server: its own SQLite file, fast bcrypt, limits off."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DASHBOARD_ENCRYPTION_KEY": "e" * 64,
        "DASHBOARD_SESSION_KEY": "s" * 64,
        "BCRYPT_WORKLOAD_FACTOR": "4",
        "RATELIMIT_ENABLED": "false",
        "SESSION_COOKIE_SECURE": "false",
        **extra,
    }


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """Run ``command`` until it answers on ``port``; yield its base URL; stop it after."""
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/user/account", timeout=1)
            except urllib.error.HTTPError:
                break  # any HTTP answer means it serves
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}") from None
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def request(
    method: str, url: str, body: dict | None = None, headers: dict | None = None
) -> tuple[int, object]:
    """One JSON request; returns (status, decoded body)."""
    status, decoded, _ = exchange(method, url, body, headers)
    return status, decoded


def exchange(
    method: str, url: str, body: dict | None = None, headers: dict | None = None
) -> tuple[int, object, Any]:
    """One JSON request; returns (status, decoded body, headers). The body is None when
    the answer is empty or not JSON (a proxy's own error page)."""
    data = json.dumps(body).encode() if body is not None else None
    sent = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        sent.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(sent, timeout=60) as response:
            return response.status, _json(response.read(), response.headers), response.headers
    except urllib.error.HTTPError as error:
        return error.code, _json(error.read(), error.headers), error.headers


def _json(raw: bytes, headers: Any) -> object:
    return json.loads(raw) if raw and headers.get_content_type() == "application/json" else None


def all_at_once(count: int, action: Any) -> list:
    """``action(n)`` for n in range(count), on ``count`` threads released together."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(count, timeout=30)

    def run(number: int) -> Any:
        barrier.wait()
        return action(number)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))
