"""The explorer in a real browser: headless Chromium loads the pages from a running server.

In CI (.ci/run sets TEST_CHROMIUM) Chromium must be there; elsewhere the test is skipped,
saying so, when no Chromium can be found."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.servers import free_port, running, service_environment
from tests.test_reference import parsed

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    required = os.environ.get("TEST_CHROMIUM")
    if required:
        assert shutil.which(required), f"TEST_CHROMIUM={required} is not an executable"
        return required
    found = next(
        (
            shutil.which(name)
            for name in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(name)
        ),
        None,
    )
    if found is None:
        pytest.skip("no Chromium found (Debian: apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorer")
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=sys.prefix + "/bin") or "gunicorn"
    command = [gunicorn, "--workers", "1", "--bind", f"127.0.0.1:{port}", "app:app"]
    with running(command, service_environment(folder / "db.sqlite3"), port, folder / "log") as base:
        yield base


def browse(chromium: str, profile, *arguments: str) -> str:
    finished = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    return finished.stdout


def test_index_and_create_session_pages_render(chromium, server, tmp_path):
    index = parsed(browse(chromium, tmp_path / "profile", "--dump-dom", f"{server}/api/explorer/"))
    assert "/api/user/create-session" in " ".join(index.text)
    assert "user/create-session" in index.links

    page_url = f"{server}/api/explorer/user/create-session"
    page = " ".join(parsed(browse(chromium, tmp_path / "profile", "--dump-dom", page_url)).text)
    assert "/api/user/create-session (POST)" in page
    assert "dashboard.api.user.create_session.post(req)" in page
    for code in ("invalid-username", "invalid-password"):
        assert code in page

    screenshot = tmp_path / "create-session.png"
    browse(
        chromium,
        tmp_path / "profile",
        f"--screenshot={screenshot}",
        "--window-size=1280,2400",
        page_url,
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
