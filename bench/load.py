"""HTTP load for a bounded time: wrk when installed, else a Python generator (slower)."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

WRK_SCRIPT = """
wrk.method = "%(method)s"
wrk.body = %(body)s
%(headers)s
%(bodies)s
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50": %%f, "p99": %%f, "failed": %%d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failed: int  # connection errors, timeouts and non-2xx/3xx answers

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


CHOSEN = "auto"  # or "wrk" / "python": python -m bench --generator


def generator() -> str:
    """Which load generator this run uses: wrk when installed, unless told otherwise."""
    if CHOSEN != "auto":
        return CHOSEN
    return "wrk" if shutil.which("wrk") else "python"


def run(
    url: str,
    seconds: float,
    connections: int,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | None = None,
    keep_alive: bool = False,
    bodies: list[str] | None = None,
) -> Result:
    """Load ``url`` for ``seconds`` with ``connections`` connections, each kept alive
    (``keep_alive``: granian, nginx) or new for each request (uWSGI's http-socket closes
    after each answer; asking for that makes a failed read a real failure, not a close).

    ``bodies``: each request sends the next of these, in turn (a peer that remembers a
    sign-in is asked each one once: see Result.requests against their number)."""
    headers = {**({} if keep_alive else {"Connection": "close"}), **(headers or {})}
    if body is not None or bodies:
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    if generator() == "wrk":
        return _wrk(url, seconds, connections, method, headers, body, bodies or [])
    return _python(url, seconds, connections, method, headers, body, bodies or [])


# Each thread of wrk takes every THREADS-th body from its own first one: none twice.
WRK_BODIES = """
bodies = %(list)s
threads = 0
setup = function(thread) thread:set("first", threads); threads = threads + 1 end
request = function()
  step = step or first
  step = step + %(threads)d
  return wrk.format(nil, nil, nil, bodies[(step - %(threads)d) %% #bodies + 1])
end
"""


def _wrk(url, seconds, connections, method, headers, body, bodies) -> Result:
    threads = max(1, min(2, connections))
    listed = "{" + ", ".join(json.dumps(each) for each in bodies) + "}"
    lua = WRK_SCRIPT % {
        "bodies": WRK_BODIES % {"list": listed, "threads": threads} if bodies else "",
        "method": method,
        "body": json.dumps(body) if body is not None else "nil",
        "headers": "\n".join(
            f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()
        ),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    return Result(
        figures["requests"], figures["seconds"], figures["p50"], figures["p99"], figures["failed"]
    )


def _python(url, seconds, connections, method, headers, body, bodies) -> Result:
    parts = urlsplit(url)
    turn = iter(range(1 << 62))  # next() on it is atomic under the GIL
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                sent = bodies[next(turn) % len(bodies)] if bodies else body
                connection.request(method, path, body=sent, headers=headers)
                response = connection.getresponse()
                response.read()
                if not 200 <= response.status < 400:
                    bad += 1
            except OSError:
                bad += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            failed[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else 0.0
        )

    return Result(len(latencies), elapsed, percentile(0.50), percentile(0.99), failed[0])
