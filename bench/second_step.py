"""`python -m bench.second_step`: what a sign-in's second factor costs, beside a password.

In one process, through the whole app (WSGI, Flask, the request core, SQLite) with
Flask's test client: no server, no network, so the figures are the service's own work.
For each of --accounts accounts it times, one at a time:

- a password sign-in (POST create-session): bcrypt at BCRYPT_WORKLOAD_FACTOR, and writes;
- its second step with an authenticator app's code (PATCH complete-session): an HMAC,
  a conditional UPDATE of the used step, the session's update;
- a passkey sign-in (POST passkey-sign-in-options, then create-session-with-passkey): a
  challenge written and taken, one P-256 signature checked, the session's writes;

and bcrypt.checkpw alone at the same cost. It prints the median and p90 of each, in
milliseconds, and each divided by bcrypt.checkpw: a second step that cost a bcrypt
would be near 1.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import bcrypt
import pyotp

from dashboard import create_app
from dashboard.config import Config
from tests.authenticator import Authenticator

PASSWORD = "bench-password"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.second_step")
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--cost", type=int, default=12, help="bcrypt cost (12: the default)")
    args = parser.parse_args(argv)
    logging.getLogger("dashboard").setLevel(logging.WARNING)  # no line per sign-in
    with tempfile.TemporaryDirectory() as folder:
        config = Config(
            encryption_key="e" * 64,
            session_key="s" * 64,
            bcrypt_workload_factor=args.cost,
            ratelimit_enabled=False,
            session_cookie_secure=False,
        )
        client = create_app(config, instance_path=folder).test_client()
        timings = _measure(client, args.accounts)
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(args.cost))
    timings["bcrypt.checkpw"] = [
        _timed(lambda: bcrypt.checkpw(PASSWORD.encode(), hashed))[1] for _ in range(args.accounts)
    ]
    reference = statistics.median(timings["bcrypt.checkpw"])
    print(f"{args.accounts} accounts, bcrypt cost {args.cost}, SQLite, in one process")
    print(f"{'':44} {'median ms':>10} {'p90 ms':>8} {'/ bcrypt':>9}")
    for name, values in timings.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:44} {median * 1000:10.2f} {p90 * 1000:8.2f} {median / reference:9.3f}")
    return 0


def _measure(client: Any, accounts: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {
        "password sign-in (create-session)": [],
        "its second step: an app's code (complete-session)": [],
        "passkey sign-in (options, then the sign-in)": [],
    }
    for number in range(accounts):
        username = f"second-step-{number:05d}"
        made = client.post(
            "/api/user/create-account", json={"username": username, "password": PASSWORD}
        ).json
        accountid = made["accountid"]
        signed = _ok(
            client.post(
                "/api/user/create-session", json={"username": username, "password": PASSWORD}
            )
        )
        bearer = {"Authorization": f"Bearer {signed['sessionid']}.{signed['token']}"}
        own = f"?accountid={accountid}"
        secret = _ok(
            client.post(f"/api/user/create-totp{own}", json={"password": PASSWORD}, headers=bearer)
        )["secret"]
        _ok(
            client.patch(
                f"/api/user/confirm-totp{own}", json={"code": _code(secret, -1)}, headers=bearer
            )
        )
        authenticator = Authenticator()
        body = {"username": username, "password": PASSWORD}
        options = _ok(
            client.post(f"/api/user/create-passkey-options{own}", json=body, headers=bearer)
        )
        _ok(
            client.post(
                f"/api/user/create-passkey{own}",
                json={"credential": authenticator.create(options)},
                headers=bearer,
            )
        )

        signing, took = _timed(client.post, "/api/user/create-session", json=body)
        timings["password sign-in (create-session)"].append(took)
        waiting = _ok(signing)
        second = {"Authorization": f"Bearer {waiting['sessionid']}.{waiting['token']}"}
        path = f"/api/user/complete-session?sessionid={waiting['sessionid']}"
        completing = {"code": _code(secret, 0)}
        completed, took = _timed(client.patch, path, json=completing, headers=second)
        timings["its second step: an app's code (complete-session)"].append(_ok(completed) and took)
        _, took = _timed(_passkey_sign_in, client, authenticator)
        timings["passkey sign-in (options, then the sign-in)"].append(took)
    return timings


def _passkey_sign_in(client: Any, authenticator: Authenticator) -> None:
    given = _ok(client.post("/api/user/passkey-sign-in-options"))
    answer = {"assertion": authenticator.get(given)}
    _ok(client.post("/api/user/create-session-with-passkey", json=answer))


def _code(secret: str, steps: int) -> str:
    # the app's code of now, moved ``steps`` steps: confirm with the last one, so that
    # now's is unused for the completion
    moment = datetime.now(timezone.utc).timestamp() + 30 * steps
    return pyotp.TOTP(secret).at(moment)


def _ok(response: Any) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def _timed(action: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = action(*args, **kwargs)
    return result, time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
