"""`python -m bench.outage`: how long an outage of PostgreSQL or Redis costs, for real.

Starts gunicorn (2 workers, 4 threads each, the default timeouts) on PostgreSQL and
Redis, each reached through a TCP proxy, keeps 8 clients reading an account and one
polling /healthz, then freezes (nothing answers) or cuts (connections refused) one proxy
for --seconds and restores it. It prints, per fault: when the first answer of the kind
the fault must give arrived, the slowest request during the outage, /healthz's slowest
answer, and how long after the restore answers were right again. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.proxy import Proxy
from tests.servers import free_port, request, running

CLIENTS = 8


@dataclass
class Answer:
    at: float  # seconds since the fault began (negative: before it)
    seconds: float
    status: int
    cache: str = ""


@dataclass
class Trace:
    restored_at: float
    requests: list[Answer] = field(default_factory=list)  # signed-in GETs
    sign_ins: list[Answer] = field(default_factory=list)  # rate limited, cached
    health: list[Answer] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.outage", description=__doc__)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--seconds", type=float, default=15, help="length of each outage")
    parser.add_argument("--after", type=float, default=12, help="seconds watched after it")
    parser.add_argument(
        "--faults",
        default="database:freeze,database:cut,redis:freeze,redis:cut",
        help="which dependency:fault pairs",
    )
    args = parser.parse_args(argv)
    print(
        f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
        f"gunicorn, 2 workers x 4 threads, default timeouts; {CLIENTS} clients; "
        f"outages of {args.seconds:g} s"
    )
    print(
        "| fault | first answer of the outage | slowest request in it | "
        "slowest /healthz in it | right again after the restore |"
    )
    print("| --- | --- | --- | --- | --- |")
    for pair in args.faults.split(","):
        dependency, fault = pair.split(":")
        print(_row(dependency, fault, _measure(args, dependency, fault)), flush=True)
    return 0


def _measure(args, dependency: str, fault: str) -> Trace:
    import psycopg2

    schema = f"outage_{secrets.token_hex(4)}"
    admin = psycopg2.connect(args.database_url)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE SCHEMA {schema}")
    database_proxy = Proxy.to(args.database_url)
    redis_proxy = Proxy.to(args.redis_url)
    try:
        with tempfile.TemporaryDirectory(prefix="dashboard-outage-") as folder:
            port = free_port()
            redis = redis_proxy.url(args.redis_url)
            env = {
                **os.environ,
                "DASHBOARD_ENCRYPTION_KEY": "e" * 64,
                "DASHBOARD_SESSION_KEY": "s" * 64,
                "DATABASE_URL": database_proxy.url(args.database_url.partition("?")[0])
                + f"?options=-csearch_path%3D{schema}",
                "CACHE_URL": redis,
                "RATELIMIT_STORAGE_URI": redis,
                "APPID": schema,
                "BCRYPT_WORKLOAD_FACTOR": "4",
                "CREATE_SESSION_RATE_LIMIT": "100000 per minute",  # counted, never reached
                "SESSION_COOKIE_SECURE": "false",
                "INSTANCE_PATH": folder,
            }
            gunicorn = shutil.which("gunicorn", path=f"{sys.prefix}/bin") or "gunicorn"
            command = [gunicorn, "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}", "app:app"]
            with running(command, env, port, Path(folder) / "gunicorn.log") as base:
                proxy = database_proxy if dependency == "database" else redis_proxy
                return _load(base, proxy, fault, args.seconds, args.after)
    finally:
        database_proxy.cut()
        redis_proxy.cut()
        admin.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


def _load(base: str, proxy: Proxy, fault: str, seconds: float, after: float) -> Trace:
    credentials = {"username": "outage-user", "password": "outage-password"}
    _call("POST", f"{base}/api/user/create-account", credentials)
    session = _call("POST", f"{base}/api/user/create-session", credentials)[1]
    bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    url = f"{base}/api/user/account?accountid={session['accountid']}"
    trace, stop = Trace(restored_at=seconds), threading.Event()
    began = [time.monotonic() + 3600]

    def client(target: list[Answer], method: str, address: str, body, headers) -> None:
        while not stop.is_set():
            started = time.monotonic()
            status, answer = _call(method, address, body, headers)
            cache = answer.get("cache", "") if isinstance(answer, dict) else ""
            target.append(Answer(started - began[0], time.monotonic() - started, status, cache))
            if target is not trace.requests:
                time.sleep(0.05)

    sign_in = ("POST", f"{base}/api/user/create-session", credentials, {})
    threads = [
        *(
            threading.Thread(target=client, args=(trace.requests, "GET", url, None, bearer))
            for _ in range(CLIENTS)
        ),
        threading.Thread(target=client, args=(trace.sign_ins, *sign_in)),
        threading.Thread(target=client, args=(trace.health, "GET", f"{base}/healthz", None, {})),
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)
    began[0] = time.monotonic()
    getattr(proxy, fault)()
    time.sleep(seconds)
    proxy.restore()
    time.sleep(after)  # the cache tries again every 5 s; the limiter after 1, 2, 4, ... s
    stop.set()
    for thread in threads:
        thread.join()
    return trace


def _row(dependency: str, fault: str, trace: Trace) -> str:
    restored = trace.restored_at
    during = [a for a in trace.requests + trace.sign_ins if 0 <= a.at < restored]
    health = [a for a in trace.health if 0 <= a.at < restored]
    after = [a for a in trace.requests if a.at >= restored]
    if dependency == "database":
        first = min((a.at + a.seconds for a in during if a.status == 503), default=None)
        wrong = [a for a in after if a.status != 200]
        recovered = max((a.at + a.seconds for a in wrong), default=restored) - restored
        first_text = f"503 at {first:.2f} s" if first is not None else "no 503"
    else:
        answers = trace.requests + trace.sign_ins
        wrong = [a for a in answers if a.status != 200]
        first_text = f"{len(answers) - len(wrong)} of {len(answers)} answers 200"
        later = [a for a in trace.health if a.at >= restored and a.cache == "ok"]
        recovered = (min(a.at for a in later) - restored) if later else float("nan")
    slowest = max((a.seconds for a in during), default=0.0)
    slowest_health = max((a.seconds for a in health), default=0.0)
    return (
        f"| {dependency} {fault} | {first_text} | {slowest:.2f} s | {slowest_health:.2f} s | "
        f"{recovered:.2f} s |"
    )


def _call(method: str, url: str, body=None, headers=None):
    try:
        return request(method, url, body, headers)
    except (OSError, ValueError):  # no answer, or not JSON: counted as not 200
        return 0, None


if __name__ == "__main__":
    raise SystemExit(main())
