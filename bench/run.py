"""`python -m bench`: start the service under gunicorn and uWSGI, load it, print figures.

Every figure is the median of --runs runs (min and max beside it), divided by a
reference measured in the same run on the same machine. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

from bench import load, nginx, revocation, seed
from dashboard.config import Config

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"DASHBOARD_ENCRYPTION_KEY": "e" * 64, "DASHBOARD_SESSION_KEY": "s" * 64}
USERNAME, PASSWORD = "bench-account", "bench-password"
WORKERS = 2
KEEPS_ALIVE = ("granian",)  # uWSGI closes after each answer; gunicorn's keep-alive is erratic here


@dataclass
class Figures:
    """Measured values by name, one per run."""

    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.values.setdefault(name, []).append(value)

    def median(self, name: str) -> float:
        return statistics.median(self.values[name])

    def spread(self, name: str) -> tuple[float, float, float]:
        values = self.values[name]
        return statistics.median(values), min(values), max(values)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    load.CHOSEN = args.generator
    if args.peers:
        from bench import peers

        return peers.main(args)
    figures = Figures()
    failures = [0]
    print(_machine(args), flush=True)
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as work:
        workdir = Path(work)
        for cost in args.costs:
            for _ in range(args.runs):
                figures.add(f"bcrypt checkpw/s at cost {cost}", bcrypt_rate(cost, args.seconds))
        big = None
        if args.big_accounts:
            big = _seeded(
                workdir / "big", args.big_accounts, args.big_sessions, min(args.costs), args
            )
        try:
            for server in args.servers:
                _measure_server(server, args, workdir, figures, failures, big)
        finally:
            _drop_schemas(args)
    print(_table(figures, args, failures[0]))
    return 1 if failures[0] else 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10, help="length of each point")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--servers", default="gunicorn,uwsgi,granian")
    parser.add_argument("--costs", default="10,12", help="bcrypt costs of the sign-in points")
    parser.add_argument("--connections", type=int, default=8, help="for the GET points")
    parser.add_argument("--big-accounts", type=int, default=1_000_000, help="0 to skip")
    parser.add_argument("--big-sessions", type=int, default=5_000_000)
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--database-url", help="PostgreSQL instead of a fresh SQLite file")
    parser.add_argument("--redis-url", help="Redis as cache and limiter store")
    parser.add_argument(
        "--scale-out",
        default="",
        metavar="DATABASE_URL,REDIS_URL",
        help="also measure the GET points on this PostgreSQL and Redis (each run in a new schema)",
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="instead: ours beside the Node original and Flask-Security-Too (bench/peers.py)",
    )
    parser.add_argument(
        "--nginx", default="auto", help="nginx binary for the gateway points; 'off' skips them"
    )
    args = parser.parse_args(argv)
    args.servers = [name for name in args.servers.split(",") if name]
    args.costs = [int(cost) for cost in args.costs.split(",") if cost]
    args.scale_out = args.scale_out.split(",") if args.scale_out else None
    args.nginx = (
        None if args.nginx == "off" else (nginx.binary() if args.nginx == "auto" else args.nginx)
    )
    return args


def _machine(args: argparse.Namespace) -> str:
    memory = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    return (
        f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores{memory}; "
        f"Python {platform.python_version()}; "
        f"load generator: {load.generator()} on the same cores; "
        f"{WORKERS} workers per server; {args.runs} runs of {args.seconds:g} s per figure; "
        f"database: {'PostgreSQL' if args.database_url else 'SQLite (fresh file)'}"
        f"{', Redis' if args.redis_url else ''}"
    )


def bcrypt_rate(cost: int, seconds: float) -> float:
    """checkpw per second at ``cost`` with one process per worker, as the servers run."""
    hashed = bcrypt.hashpw(b"x" * 44, bcrypt.gensalt(cost))
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        counts = pool.starmap(_checkpw_for, [(hashed, seconds)] * WORKERS)
    return sum(counts) / seconds


def _checkpw_for(hashed: bytes, seconds: float) -> int:
    count, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        bcrypt.checkpw(b"x" * 44, hashed)
        count += 1
    return count


def _config(args: argparse.Namespace, cost: int, database_url: str) -> Config:
    return Config(
        encryption_key=KEYS["DASHBOARD_ENCRYPTION_KEY"],
        session_key=KEYS["DASHBOARD_SESSION_KEY"],
        database_url=database_url,
        bcrypt_workload_factor=cost,
        ratelimit_enabled=False,
    )


def _seeded(folder: Path, accounts: int, sessions: int, cost: int, args) -> str:
    """A database with ``accounts`` and ``sessions`` plus the bench account; its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    url = _empty_database(args, folder)
    started = time.monotonic()
    config = _config(args, cost, url)
    seed.seed(config, str(folder), accounts, sessions)
    seed.bench_account(config, str(folder), USERNAME, PASSWORD)
    took = time.monotonic() - started
    print(f"# seeded {accounts:,} accounts and {sessions:,} sessions in {took:.0f} s", flush=True)
    return url


def _empty_database(args, folder: Path) -> str:
    """A fresh SQLite file, or a new schema in the PostgreSQL database --database-url names."""
    if not args.database_url:
        return f"sqlite:///{folder / 'dashboard.sqlite3'}"
    import psycopg2

    name = f"bench_{folder.name.replace('-', '_')}_{os.getpid()}"
    connection = psycopg2.connect(args.database_url)
    connection.autocommit = True
    connection.cursor().execute(f"DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}")
    connection.close()
    separator = "&" if "?" in args.database_url else "?"
    return f"{args.database_url}{separator}options=-csearch_path%3D{name}"


def _drop_schemas(args) -> None:
    """Remove the PostgreSQL schemas this run made (the SQLite files go with the temp dir)."""
    if not args.database_url:
        return
    import psycopg2

    connection = psycopg2.connect(args.database_url)
    connection.autocommit = True
    cursor = connection.cursor()
    cursor.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (f"bench_%_{os.getpid()}",)
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP SCHEMA {name} CASCADE")
    connection.close()


def _measure_server(
    server, args, workdir: Path, figures: Figures, failures: list[int], big
) -> None:
    for cost in args.costs:
        folder = workdir / f"{server}-{cost}"
        url = _seeded(folder, 1000, 1000, cost, args)
        with serving(server, url, cost, folder, args) as service:
            signin = {"method": "POST", "body": f"username={USERNAME}&password={PASSWORD}"}
            for _ in range(args.runs):
                result = _point(
                    service, "/api/user/create-session", args.seconds, 4, failures, **signin
                )
                figures.add(f"{server}: sign-ins/s at cost {cost}", result.rate)
            if cost != min(args.costs):
                continue
            bearer, session = _sign_in(service.base)
            for _ in range(args.runs):
                _get_points(server, service, bearer, session, args, figures, failures)
                if args.nginx:
                    _gateway_points(server, service, bearer, args, folder, figures, failures)
                session_path = f"/api/user/session?sessionid={session['sessionid']}"
                mixed = _mixed(service, session_path, bearer, args, failures, signin)
                figures.add(f"{server}: GET session p99 ms beside sign-ins", mixed.p99_ms)
            for rss in service.rss_mb().values():
                figures.add(f"{server}: worker MB after the run", rss)
    if args.scale_out:
        _scale_out_points(server, args, workdir, figures, failures)
    if big:
        with serving(server, big, min(args.costs), workdir / "big", args) as service:
            bearer, session = _sign_in(service.base)
            path = f"/api/user/session?sessionid={session['sessionid']}"
            for _ in range(args.runs):
                result = _point(
                    service, path, args.seconds, args.connections, failures, headers=bearer
                )
                figures.add(f"{server}: GET session/s, {args.big_accounts:,} accounts", result.rate)


GET_POINTS = ("session", "account", "verify")
LABEL = " (PostgreSQL + Redis)"  # the --scale-out points' names


def _get_points(server, service, bearer, session, args, figures, failures, label="") -> None:
    """The bare route, then the authenticated GETs and verify, each with its p50 and p99."""
    paths = {
        "session": f"/api/user/session?sessionid={session['sessionid']}",
        "account": f"/api/user/account?accountid={session['accountid']}",
        "verify": "/api/verify",
    }
    bare = _point(service, "/bench/bare", args.seconds, args.connections, failures)
    for name, result in [("bare GET", bare)] + [
        (
            f"GET {name}" if name != "verify" else "verify",
            _point(service, paths[name], args.seconds, args.connections, failures, headers=bearer),
        )
        for name in GET_POINTS
    ]:
        figures.add(f"{server}{label}: {name}/s", result.rate)
        figures.add(f"{server}{label}: {name} p50 ms", result.p50_ms)
        figures.add(f"{server}{label}: {name} p99 ms", result.p99_ms)


# A second site on nginx, without auth_request: what nginx -> backend costs alone.
OPEN_SITE = """
server {
    listen 127.0.0.1:%(port)d;
    location / { proxy_pass http://backend; }
}
"""


def _gateway_points(server, service, bearer, args, folder, figures, failures) -> None:
    """nginx -> /api/verify -> backend (the bare route), and nginx -> backend alone."""
    port = int(service.base.rsplit(":", 1)[1])
    ports = {"service": port, "backend": port, "site": _free_port()}
    open_port = _free_port()
    site = folder / "nginx"
    site.mkdir(exist_ok=True)
    with nginx.running(args.nginx, site, ports, OPEN_SITE % {"port": open_port}) as base:
        for name, url, headers in (
            ("nginx -> verify -> bare", base, bearer),
            ("nginx -> bare", f"http://127.0.0.1:{open_port}", {}),
        ):
            result = load.run(
                url + "/bench/bare",
                args.seconds,
                args.connections,
                headers=headers,
                keep_alive=True,
            )
            failures[0] += result.failed
            figures.add(f"{server}: {name}/s", result.rate)
            figures.add(f"{server}: {name} p99 ms", result.p99_ms)


def _scale_out_points(server, args, workdir: Path, figures: Figures, failures: list[int]) -> None:
    """The GET points again, with the database in PostgreSQL and the cache and limiter in
    Redis (--scale-out)."""
    database_url, redis_url = args.scale_out
    scaled = argparse.Namespace(
        **{**vars(args), "database_url": database_url, "redis_url": redis_url}
    )
    folder = workdir / f"{server}-scale-out"
    url = _seeded(folder, 1000, 1000, min(args.costs), scaled)
    try:
        with serving(server, url, min(args.costs), folder, scaled) as service:
            bearer, session = _sign_in(service.base)
            for _ in range(args.runs):
                _get_points(server, service, bearer, session, args, figures, failures, LABEL)
            # a second host on the same database and Redis: how fast a revocation reaches it
            (workdir / f"{server}-b").mkdir(exist_ok=True)
            with serving(server, url, min(args.costs), workdir / f"{server}-b", scaled) as b:
                took = revocation.milliseconds(service.base, b.base, USERNAME, PASSWORD, 200)
            figures.add(f"{server}: revocation A -> B p50 ms", statistics.median(took))
            figures.add(
                f"{server}: revocation A -> B p99 ms", statistics.quantiles(took, n=100)[98]
            )
    finally:
        _drop_schemas(scaled)


def _point(
    service, path: str, seconds: float, connections: int, failures: list[int], **request
) -> load.Result:
    result = load.run(
        service.base + path, seconds, connections, keep_alive=service.keep_alive, **request
    )
    failures[0] += result.failed
    if result.failed:
        print(f"# {result.failed} failed requests on {path}", flush=True)
    return result


def _mixed(service, path, bearer, args, failures, signin) -> load.Result:
    """The GET point while sign-ins run flat out beside it."""
    side: list[load.Result] = []
    thread = threading.Thread(
        target=lambda: side.append(
            load.run(
                service.base + "/api/user/create-session",
                args.seconds,
                4,
                keep_alive=service.keep_alive,
                **signin,
            )
        )
    )
    thread.start()
    result = _point(service, path, args.seconds, args.connections, failures, headers=bearer)
    thread.join()
    failures[0] += side[0].failed
    return result


def _sign_in(base: str) -> tuple[dict[str, str], dict]:
    import json

    request = urllib.request.Request(
        f"{base}/api/user/create-session",
        data=f"username={USERNAME}&password={PASSWORD}&remember=days".encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        session = json.loads(response.read())
    return {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}, session


@dataclass
class Service:
    base: str
    process: subprocess.Popen
    keep_alive: bool  # whether the server keeps connections open between requests

    def rss_mb(self) -> dict[int, float]:
        """Resident memory of each worker (the server's child processes), in MB."""
        children = (
            Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        )
        sizes = {}
        for pid in map(int, children):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = int(line.split()[1]) / 1024
        return sizes


@contextlib.contextmanager
def serving(server: str, database_url: str, cost: int, folder: Path, args) -> Iterator[Service]:
    """The service under ``server`` with WORKERS workers on a free port, until the block ends."""
    env = {
        **KEYS,
        "DATABASE_URL": database_url,
        "BCRYPT_WORKLOAD_FACTOR": str(cost),
        "RATELIMIT_ENABLED": "false",
    }
    if args.redis_url:
        env.update(CACHE_URL=args.redis_url, RATELIMIT_STORAGE_URI=args.redis_url)
    with serving_app(server, "bench.app:app", env, folder) as service:
        yield service


@contextlib.contextmanager
def serving_app(
    server: str,
    app: str,
    settings: dict[str, str],
    folder: Path,
    binary: Path | None = None,
    ready: str = "/healthz",
    gunicorn_config: str = "gunicorn.conf.py",
) -> Iterator[Service]:
    """The WSGI ``app`` ("module:name", from this folder) under ``server``, as the service
    runs (WORKERS workers, wsgi.ini for uWSGI), with ``settings`` in its environment and
    the servers in ``binary`` (this virtualenv's by default), until the block ends;
    started once GET ``ready`` answers. gunicorn reads ``gunicorn_config`` (the
    service's checks its settings: another app gives /dev/null)."""
    port = _free_port()
    env = {**os.environ, **settings, "PORT": str(port), "PYTHONPATH": str(ROOT)}
    binary = binary or Path(sys.prefix) / "bin"
    commands: dict[str, Callable[[], list[str]]] = {
        "gunicorn": lambda: [
            str(binary / "gunicorn"),
            "-c",
            gunicorn_config,
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--threads",
            "8",
            app,
        ],
        "granian": lambda: [
            str(binary / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--blocking-threads",
            "4",
            "--no-ws",
            app,
        ],
        "uwsgi": lambda: [
            str(binary / "uwsgi"),
            "--ini",
            "wsgi.ini",
            "--module",
            app,
            "--processes",
            str(WORKERS),
        ],
    }
    log = open(folder / f"{server}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        commands[server](),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + ready, process)
        yield Service(base, process, keep_alive=server in KEEPS_ALIVE)
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
        log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2)
            return
        time.sleep(0.2)
    raise RuntimeError("the server did not start in 60 s")


def _table(figures: Figures, args, failed: int) -> str:
    rows = [
        "| figure | median | min | max | divided by | ratio | goal |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]

    def row(name: str, reference: str | None = None, goal: str = "", value: float | None = None):
        if name not in figures.values:
            return
        median, low, high = figures.spread(name)
        ratio = ""
        if reference is not None:
            divisor = value if value is not None else figures.median(reference)
            ratio = f"{median / divisor:.2f}"
        spread = f"{median:,.1f} | {low:,.1f} | {high:,.1f}"
        rows.append(f"| {name} | {spread} | {reference or ''} | {ratio} | {goal} |")

    for cost in args.costs:
        row(f"bcrypt checkpw/s at cost {cost}")
    for server in args.servers:
        for cost in args.costs:
            row(
                f"{server}: sign-ins/s at cost {cost}", f"bcrypt checkpw/s at cost {cost}", ">= 0.9"
            )
        goal = ">= 0.8"  # SQLite, and PostgreSQL + Redis with the near cache
        for label in ("", LABEL):
            prefix = f"{server}{label}"
            row(f"{prefix}: bare GET/s")
            for name in ("session", "account"):
                row(f"{prefix}: GET {name}/s", f"{prefix}: bare GET/s", goal)
            row(f"{prefix}: verify/s", f"{prefix}: bare GET/s", ">= 1.5")
            row(f"{prefix}: bare GET p50 ms")
            row(f"{prefix}: bare GET p99 ms")
            for name in ("GET session", "GET account", "verify"):
                row(f"{prefix}: {name} p50 ms", f"{prefix}: bare GET p50 ms", "")
                p99_goal = "<= 1" if name == "verify" else "<= 2"
                row(f"{prefix}: {name} p99 ms", f"{prefix}: bare GET p99 ms", p99_goal)
        row(f"{server}: revocation A -> B p50 ms")
        row(f"{server}: revocation A -> B p99 ms", goal="<= 50")
        row(f"{server}: nginx -> bare/s")
        row(f"{server}: nginx -> verify -> bare/s", f"{server}: nginx -> bare/s", "")
        row(f"{server}: nginx -> bare p99 ms")
        row(f"{server}: nginx -> verify -> bare p99 ms", f"{server}: nginx -> bare p99 ms", "")
        row(
            f"{server}: GET session/s, {args.big_accounts:,} accounts",
            f"{server}: GET session/s",
            ">= 0.8",
        )
        row(
            f"{server}: GET session p99 ms beside sign-ins", f"{server}: GET session p99 ms", "<= 3"
        )
        row(f"{server}: worker MB after the run", goal="<= 80 MB")
    rows.append(f"| failed or non-2xx responses, all points | {failed} | | | | | 0 |")
    return "\n".join(rows)


if __name__ == "__main__":
    raise SystemExit(main())
