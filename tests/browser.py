"""A real browser for the pages' tests: Selenium driving Debian's Chromium headless, against
the service run by gunicorn, and axe-core to check what each page is to assistive
technology.

In CI (.ci/run sets TEST_CHROMIUM and installs chromium and chromium-driver) they must be
there; elsewhere the tests that need them are skipped, saying why.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import ROOT, free_port, running, service_environment


def chromedriver() -> str:
    """Debian's chromedriver; required when TEST_CHROMIUM is set, else skipped without."""
    found = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None
    )
    if os.environ.get("TEST_CHROMIUM"):
        assert found, "TEST_CHROMIUM is set but chromedriver is missing (apt: chromium-driver)"
        assert shutil.which(os.environ["TEST_CHROMIUM"]), "TEST_CHROMIUM is not an executable"
    elif found is None or not shutil.which("chromium"):
        pytest.skip("no Chromium and chromedriver (Debian: apt-get install chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    return found  # type: ignore[return-value]


@contextlib.contextmanager
def service(folder: Path, **settings: str) -> Iterator[str]:
    """The service with its pages, on a free port, by gunicorn; yields its base URL."""
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=sys.prefix + "/bin") or "gunicorn"
    command = [gunicorn, "--workers", "1", "--threads", "4", "--bind", f"127.0.0.1:{port}"]
    environment = service_environment(folder / "db.sqlite3", **settings)
    with running([*command, "app:app"], environment, port, folder / "log") as base:
        yield base


def create_owner(folder: Path, username: str, password: str) -> None:
    """The owner of the service ``service(folder)`` runs, made as an operator makes it:
    ``flask dashboard create-account USERNAME --owner`` (after the service has started:
    a command never makes a database)."""
    flask = shutil.which("flask", path=sys.prefix + "/bin") or "flask"
    command = [flask, "--app", "app", "dashboard", "create-account", username, "--owner"]
    subprocess.run(
        [*command, "--password-stdin"],
        input=password + "\n",
        env=service_environment(folder / "db.sqlite3"),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )


def age_verifications(folder: Path) -> None:
    """Make every session of ``service(folder)``'s database last verified long ago: the
    clock moved on, for a verification that must be stale (no wait)."""
    with contextlib.closing(sqlite3.connect(folder / "db.sqlite3")) as database, database:
        database.execute("UPDATE session SET last_verified_at = '2000-01-01 00:00:00'")


def browser(driver_path: str, profile: Path, javascript: bool = True, width: int = 1280) -> Any:
    """A new headless Chromium with a profile of its own (its own cookies)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    binary = os.environ.get("TEST_CHROMIUM") or "chromium"
    options.binary_location = shutil.which(binary) or binary
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={width},900",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)  # generous: the suite runs on every core at once
    driver.set_script_timeout(60)  # axe-core's run
    # A window is never narrower than about 500 px, even headless: a phone's width is
    # emulated, as DevTools' device mode does.
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    return driver


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """What axe-core finds wrong with the page the driver shows (WCAG 2.2 A and AA)."""
    from selenium_axe_python import Axe

    axe = Axe(driver)
    axe.inject()
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    found = axe.run(options={"runOnly": {"type": "tag", "values": tags}})
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]],
        }
        for violation in found["violations"]
    ]
