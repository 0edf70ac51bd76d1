"""nginx with deploy/nginx.conf, from its own temporary prefix on loopback ports.

Used by the benchmark (nginx -> /api/verify -> backend) and by the nginx test
(tests/test_gateway_nginx.py): both run the README's configuration, its three
addresses replaced.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "nginx.conf"
# The addresses deploy/nginx.conf names, by what is there.
ADDRESSES = {"service": "127.0.0.1:8000", "backend": "127.0.0.1:9000", "site": "127.0.0.1:8080"}
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def binary() -> str | None:
    """Debian's nginx (in /usr/sbin, often not on a user's PATH), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def configuration(folder: Path, ports: dict[str, int], more: str = "") -> str:
    """A whole nginx.conf: deploy/nginx.conf on ``ports`` (by the names of ADDRESSES),
    plus ``more`` inside http {}, everything nginx writes kept in ``folder``."""
    server = CONFIG.read_text()
    for name, address in ADDRESSES.items():
        server = server.replace(address, f"127.0.0.1:{ports[name]}")
    temp = "".join(f"  {kind}_temp_path {folder}/{kind};\n" for kind in TEMP_PATHS)
    return (
        f"daemon off;\nmaster_process off;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n  access_log off;\n{temp}{server}\n{more}\n}}\n"
    )


@contextlib.contextmanager
def running(nginx: str, folder: Path, ports: dict[str, int], more: str = "") -> Iterator[str]:
    """nginx until the block ends; yields the site's base URL."""
    (folder / "nginx.conf").write_text(configuration(folder, ports, more))
    with open(folder / "stderr.log", "wb") as stderr:
        process = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{ports['site']}"
    try:
        _wait_for(base, process, folder)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(base: str, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = [folder / "stderr.log", folder / "error.log"]
            raise RuntimeError(
                "nginx exited: " + " ".join(p.read_text() for p in logs if p.exists())
            )
        try:
            urllib.request.urlopen(base + "/api/user/account", timeout=1)
        except urllib.error.HTTPError:
            return  # any HTTP answer: it serves
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not start in 20 s")
