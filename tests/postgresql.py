"""A PostgreSQL server of the test's own that asks for a password (scram-sha-256), on a
free loopback port: the machine's own server trusts every local connection, so a wrong
password can only be tried against one like this."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import free_port

PASSWORD = "the-right-password"


def binaries() -> Path | None:
    """The folder of Debian's initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@contextlib.contextmanager
def with_a_password() -> Iterator[str]:
    """Run the server in a new folder; yield its URL without a password (user postgres).

    Needs the PostgreSQL binaries, and root (to run them as the postgres user) or to be
    that user. Where the suite must run PostgreSQL (TEST_DATABASE_URL set: CI) a missing
    part fails the test; elsewhere it is skipped, saying why.
    """
    bin_folder = binaries()
    as_postgres: list[str] = []
    if os.geteuid() == 0 and shutil.which("runuser"):
        as_postgres = ["runuser", "-u", "postgres", "--"]
    missing = None
    if bin_folder is None:
        missing = "no PostgreSQL binaries (Debian: apt-get install postgresql)"
    elif not as_postgres and os.environ.get("USER") != "postgres":
        missing = "initdb must run as the postgres user (run the tests as root or postgres)"
    if missing:
        if os.environ.get("TEST_DATABASE_URL"):
            pytest.fail(missing)
        pytest.skip(missing)
    # Not under pytest's own temporary folder, which only root may enter.
    folder = Path(tempfile.mkdtemp(prefix="dashboard-postgresql-"))
    (folder / "password").write_text(PASSWORD + "\n")
    if as_postgres:
        shutil.chown(folder, "postgres")
        shutil.chown(folder / "password", "postgres")
    data, port = folder / "data", free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_postgres, *command], check=True, capture_output=True, timeout=60)

    run(str(bin_folder / "initdb"), "-D", str(data), "-U", "postgres", "-N",
        "--auth=scram-sha-256", f"--pwfile={folder / 'password'}")  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(bin_folder / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
        str(folder / "log"), "start")  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(bin_folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
