"""`python -m bench --peers`: ours beside the Node original and Flask-Security-Too, live.

Every system runs at once on this machine, each on its own port, and is loaded by the
same generator (bench/load.py) in rounds: in each round every point runs once, in an
order rotated from round to round, each after the machine has gone idle. What is printed
is each point's rate in each round, and ours / the peer's within each round: two points
of one round ran minutes apart at most, on the same machine in the same state.

The peers, installed on the first run into PEERS_HOME (nothing of theirs is in the
repository):

- the original, the npm package NODE_PACKAGE on this machine's Node.js, twice: with its
  memory cache (CACHE=node) and without, its API open (ALLOW_PUBLIC_API=true), storage on
  disk, bcrypt cost 10. Its sign-in remembers each (password, hash) it has checked, so
  each of its sign-ins is a user signing in for the first time: it is given enough users
  and each signs in once (load.run(bodies=...), checked);
- Flask-Security-Too (FST_PACKAGE, bench/fst_app.py) in a virtualenv of its own, under
  the same servers, versions, settings (wsgi.ini for uWSGI) and workers as ours, on
  SQLite, bcrypt cost 10, token authentication.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import math
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench import load, run

NODE_PACKAGE = "@userdashboard/dashboard@1.0.392"
FST_PACKAGE = "Flask-Security-Too[fsqla]==5.9.2"
SERVER_PACKAGES = {"granian": "granian", "uwsgi": "pyuwsgi", "gunicorn": "gunicorn"}
PEERS_HOME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dashboard-bench"
COST = 10
SIGN_INS = 4  # connections of the sign-in points, as in python -m bench
IDLE = 0.85  # the share of the CPUs idle over IDLE_SECONDS before a point starts
IDLE_SECONDS = 0.5
IDLE_WAIT = 30.0  # at most; then the point runs anyway and says so
NODE_USERS_PER_SECOND = 30  # users per second of its sign-in point: 1.5 times its rate here
EMAIL, PASSWORD = "bench@example.com", "bench-password"


@dataclass
class System:
    """One system as the bench loads it: its GET and sign-in requests."""

    name: str
    base: str
    keep_alive: bool
    get: tuple[str, dict[str, str]]  # path, headers
    sign_in: dict | None  # path, and load.run's method, body, headers; or users
    verify: tuple[str, dict[str, str]] | None = None


@dataclass
class Rounds:
    """Rates by point name, one per round."""

    rates: dict[str, list[float]] = field(default_factory=dict)
    failed: int = 0

    def add(self, name: str, result: load.Result, limit: int | None = None) -> None:
        self.rates.setdefault(name, []).append(result.rate)
        self.failed += result.failed
        if result.failed:
            print(f"# {result.failed} failed requests at {name}", flush=True)
        if limit is not None and result.requests > limit:
            self.failed += result.requests - limit
            print(f"# {name}: {result.requests} sign-ins for {limit} users", flush=True)


def main(args) -> int:
    print(run._machine(args) + "; peers live", flush=True)
    node = install_node()
    fst = install_fst(args.servers)
    rounds = Rounds()
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(run.tempfile.TemporaryDirectory(prefix="peers-")))
        systems = [stack.enter_context(_node(node, work, cache)) for cache in (True, False)]
        for server in args.servers:
            systems.append(stack.enter_context(_ours(server, work, args)))
            systems.append(stack.enter_context(_fst(server, fst, work)))
        points = _points(systems, args)
        for number in range(args.runs):
            shift = number % len(points)
            for name, measure in points[shift:] + points[:shift]:
                _wait_for_idle()
                measure(rounds, name)
            print(f"# round {number + 1} of {args.runs} done", flush=True)
    print(_table(rounds, args))
    return 1 if rounds.failed else 0


def install_node() -> Path:
    """The original, installed with npm into PEERS_HOME once, and a main.js to start it."""
    folder = PEERS_HOME / NODE_PACKAGE.replace("/", "_").replace("@", "")
    if not (folder / "node_modules" / "@userdashboard" / "dashboard").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"# installing {NODE_PACKAGE} with npm into {folder}", flush=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), NODE_PACKAGE],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    # its README's way of starting it
    (folder / "main.js").write_text("require('@userdashboard/dashboard').start(__dirname)\n")
    return folder


def install_fst(servers: list[str]) -> Path:
    """A virtualenv in PEERS_HOME with FST_PACKAGE and our servers at our versions; its bin."""
    pins = [
        f"{SERVER_PACKAGES[name]}=={importlib.metadata.version(SERVER_PACKAGES[name])}"
        for name in servers
    ]
    folder = PEERS_HOME / ("fst-" + "-".join(sorted(pins)).replace("==", "-"))
    binary = folder / "bin"
    if (
        not (binary / "python").exists()
        or subprocess.run(
            [str(binary / "python"), "-c", "import flask_security, flask_sqlalchemy, bcrypt"],
            capture_output=True,
        ).returncode
    ):
        print(f"# installing {FST_PACKAGE} and {', '.join(pins)} into {folder}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run(
            [str(binary / "pip"), "install", "-q", FST_PACKAGE, "bcrypt", *pins],
            check=True,
        )
    return binary


def _points(systems: list[System], args) -> list[tuple[str, Callable[[Rounds, str], None]]]:
    """Every point of a round: (its name, what measures it)."""

    def loads(system: System, path: str, headers: dict[str, str]):
        def measure(rounds: Rounds, name: str) -> None:
            rounds.add(name, _load(system, path, args.connections, args, headers=headers))

        return measure

    def signs_in(system: System, request: dict):
        request = dict(request)
        path = request.pop("path")
        users = request.pop("users", None)  # the original's: each signs in once
        needed = _users_needed(args)
        each_round = [[next(users) for _ in range(needed)] for _ in range(users and args.runs or 0)]

        def measure(rounds: Rounds, name: str) -> None:
            chosen = {**request, "bodies": each_round.pop()} if each_round else request
            result = _load(system, path, SIGN_INS, args, **chosen)
            rounds.add(name, result, len(chosen["bodies"]) if "bodies" in chosen else None)

        return measure

    points = []
    for system in systems:
        points.append((f"{system.name}: GET", loads(system, *system.get)))
        if system.verify is not None:
            points.append((f"{system.name}: verify", loads(system, *system.verify)))
        if system.sign_in is not None:
            points.append((f"{system.name}: sign-ins", signs_in(system, system.sign_in)))
    return points


def _users_needed(args) -> int:
    """How many users the original's sign-in point of each round is given."""
    return math.ceil(NODE_USERS_PER_SECOND * max(1, round(args.seconds)))


def _load(system: System, path: str, connections: int, args, **request) -> load.Result:
    return load.run(
        system.base + path, args.seconds, connections, keep_alive=system.keep_alive, **request
    )


def _wait_for_idle() -> None:
    """Until IDLE of the CPUs were idle over IDLE_SECONDS (at most IDLE_WAIT)."""
    deadline = time.monotonic() + IDLE_WAIT
    while time.monotonic() < deadline:
        before = _cpu_times()
        time.sleep(IDLE_SECONDS)
        after = _cpu_times()
        busy, idle = (after[i] - before[i] for i in range(2))
        if busy + idle and idle / (busy + idle) >= IDLE:
            return
    print(f"# the machine was not idle within {IDLE_WAIT:g} s: measuring anyway", flush=True)


def _cpu_times() -> tuple[int, int]:
    """(busy, idle) jiffies of all CPUs since boot, from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, idle


@contextlib.contextmanager
def _ours(server: str, work: Path, args) -> Iterator[System]:
    folder = work / f"ours-{server}"
    url = run._seeded(folder, 1000, 1000, COST, args)
    with run.serving(server, url, COST, folder, args) as service:
        bearer, session = run._sign_in(service.base)
        yield System(
            f"ours ({server})",
            service.base,
            service.keep_alive,
            (f"/api/user/account?accountid={session['accountid']}", bearer),
            {
                "path": "/api/user/create-session",
                "method": "POST",
                "body": f"username={run.USERNAME}&password={run.PASSWORD}",
            },
            verify=("/api/verify", bearer),
        )


@contextlib.contextmanager
def _fst(server: str, binary: Path, work: Path) -> Iterator[System]:
    folder = work / f"fst-{server}"
    folder.mkdir()
    settings = {
        "FST_SECRET_KEY": secrets.token_hex(32),
        "FST_PASSWORD_SALT": secrets.token_hex(16),
        "FST_DATABASE_URL": f"sqlite:///{folder / 'fst.sqlite3'}",
    }
    subprocess.run(
        [
            str(binary / "python"),
            "-c",
            f"from bench.fst_app import add_user; add_user({EMAIL!r}, {PASSWORD!r})",
        ],
        env={**os.environ, **settings, "PYTHONPATH": str(run.ROOT)},
        cwd=run.ROOT,
        check=True,
    )
    app = "bench.fst_app:app"
    with run.serving_app(
        server, app, settings, folder, binary, "/login", gunicorn_config="/dev/null"
    ) as service:
        login = json.dumps({"email": EMAIL, "password": PASSWORD})
        answer = _post(f"{service.base}/login?include_auth_token", login, "application/json")
        token = answer["response"]["user"]["authentication_token"]
        yield System(
            f"Flask-Security-Too ({server})",
            service.base,
            service.keep_alive,
            ("/api/account", {"Authentication-Token": token}),
            {
                "path": "/login",
                "method": "POST",
                "body": login,
                "headers": {"Content-Type": "application/json"},
            },
        )


@contextlib.contextmanager
def _node(folder: Path, work: Path, cache: bool) -> Iterator[System]:
    """The original on a free port, its data in a new folder, until the block ends."""
    name = "the original" + (", cached" if cache else "")
    data = work / ("node-cache" if cache else "node")
    data.mkdir()
    port = run._free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "ALLOW_PUBLIC_API": "true",
        "BCRYPT_WORKLOAD_FACTOR": str(COST),
        "STORAGE_PATH": str(data),
        "NODE_ENV": "production",
        "DASHBOARD_SESSION_KEY": secrets.token_hex(32),
        "GENERATE_SITEMAP_TXT": "false",
        "GENERATE_API_TXT": "false",
        "GENERATE_ENV_TXT": "false",
    }
    if cache:
        env["CACHE"] = "node"
    node = shutil.which("node") or "node"
    with (data / "node.log").open("wb") as log:
        process = subprocess.Popen(
            [node, "main.js"], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            run._wait_for(f"{base}/public/content-additional.css", process)
            _post(f"{base}/api/user/create-account", _user(0, data.name))
            session = _post(f"{base}/api/user/create-session", _user(0, data.name))
            cookie = f"sessionid={session['sessionid']}; token={session['token']}"
            yield System(
                name,
                base,
                True,
                (f"/api/user/account?accountid={session['accountid']}", {"Cookie": cookie}),
                {
                    "path": "/api/user/create-session",
                    "method": "POST",
                    "users": _node_users(base, data.name),
                }
                if cache
                else None,  # bcrypt bound either way: its sign-ins are measured once
            )
        finally:
            process.terminate()
            process.wait(timeout=20)


def _node_users(base: str, prefix: str) -> Iterator[str]:
    """Sign-in bodies of users made for it now, each given out once."""
    number = 1
    while True:
        body = _user(number, prefix)
        _post(f"{base}/api/user/create-account", body)
        yield body
        number += 1


def _user(number: int, prefix: str) -> str:
    return f"username={prefix}-{number}&password={PASSWORD}"


def _post(url: str, body: str, content_type: str = "application/x-www-form-urlencoded"):
    request = urllib.request.Request(
        url, data=body.encode(), method="POST", headers={"Content-Type": content_type}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


# (what is divided, by what, its goal): names of points of one round
RATIOS = (
    ("our GET account / the original's cached GET", "GET", "the original, cached: GET", 1.0),
    ("our verify / the original's cached GET", "verify", "the original, cached: GET", 1.5),
    ("our GET / the original without its cache", "GET", "the original: GET", None),
    ("our GET / Flask-Security-Too's token GET", "GET", "Flask-Security-Too: GET", 3.0),
    ("our sign-ins / the original's", "sign-ins", "the original, cached: sign-ins", 2.0),
    ("our sign-ins / Flask-Security-Too's", "sign-ins", "Flask-Security-Too: sign-ins", 1.0),
)


def _table(rounds: Rounds, args) -> str:
    servers = args.servers
    lines = [
        f"| within-round ratio (median of {args.runs} rounds; min-max) | "
        + " | ".join(servers)
        + " | goal |",
        "| --- |" + " --- |" * (len(servers) + 1),
    ]
    for label, ours, peer, goal in RATIOS:
        cells = []
        for server in servers:
            peer_name = peer.replace("Flask-Security-Too:", f"Flask-Security-Too ({server}):")
            ratios = [
                a / b
                for a, b in zip(
                    rounds.rates.get(f"ours ({server}): {ours}", []),
                    rounds.rates.get(peer_name, []),
                    strict=False,  # a point missing on one side: no ratio
                )
                if b
            ]
            cells.append(
                f"**{statistics.median(ratios):.2f}** ({min(ratios):.2f}-{max(ratios):.2f})"
                if ratios
                else "-"
            )
        wanted = f">= {goal}" if goal else ""
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {wanted} |")
    lines += ["", "| point: requests/s | median | each round |", "| --- | --- | --- |"]
    for name, rates in rounds.rates.items():
        each = ", ".join(f"{rate:,.0f}" if rate >= 100 else f"{rate:.1f}" for rate in rates)
        lines.append(f"| {name} | {statistics.median(rates):,.1f} | {each} |")
    lines.append(f"| failed or non-2xx responses, or users signed in twice | {rounds.failed} | |")
    return "\n".join(lines)
