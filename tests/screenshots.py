"""Screenshots of every page, for review: ``python -m tests.screenshots FOLDER``.

Starts the service (gunicorn, a new SQLite file) and makes its owner, registers an
account in headless Chromium, and writes FOLDER/<page>-<width>.png for each page, the
user's and the administrator's, at 1280 and 360 pixels wide, whole pages, with a form's
errors shown where it has them. Needs what the browser tests need: Debian's chromium and
chromium-driver, and selenium.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.browser import browser, create_owner, service
from tests.test_administration_browser import OWNER, open_account
from tests.test_pages_browser import PASSWORD, fill, press, sign_in

WIDTHS = (1280, 360)
SIGNED_OUT = {
    "sign-in": "/account/sign-in",
    "register": "/account/register",
    "reset-password": "/account/reset-password",
}
SIGNED_IN = {
    "overview": "/account/",
    "sessions": "/account/sessions",
    "profiles": "/account/profiles",
    "reset-codes": "/account/reset-codes",
    "security": "/account/security",
    "passkey-new": "/account/security/passkeys/new",
    "password": "/account/password",
    "username": "/account/username",
    "verify": "/account/verify",
    "delete": "/account/delete",
    "sign-out": "/account/sign-out",
}
ADMINISTRATOR = {
    "administrator-overview": "/administrator/",
    "administrator-accounts": "/administrator/accounts",
    "administrator-sessions": "/administrator/sessions",
}
# and, on the page of the account registered: it, a reset code given, the audit, the
# deletion's confirmation; and what a user gets there
ADMINISTRATOR_MORE = (
    "administrator-account",
    "administrator-reset-code",
    "administrator-audit",
    "administrator-delete",
    "administrator-refused",
)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.screenshots FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="dashboard-screenshots-"))
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    with service(work) as site:
        create_owner(work, OWNER, PASSWORD)
        for width in WIDTHS:
            driver = browser(driver_path, work / f"profile-{width}", javascript=True, width=width)
            try:
                for name, path in SIGNED_OUT.items():
                    _shot(driver, site + path, folder / f"{name}-{width}.png", width)
                driver.get(f"{site}/account/sign-in")
                fill(driver, username="someone", password="wrong-password")
                press(driver, "Sign in")
                _save(driver, folder / f"sign-in-errors-{width}.png", width)
                driver.get(f"{site}/account/register")
                fill(driver, username=f"ada-{width}", password=PASSWORD, confirm=PASSWORD)
                press(driver, "Register")
                for name, path in SIGNED_IN.items():
                    _shot(driver, site + path, folder / f"{name}-{width}.png", width)
                _shot(
                    driver,
                    f"{site}/administrator/",
                    folder / f"administrator-refused-{width}.png",
                    width,
                )
            finally:
                driver.quit()
            owner = browser(driver_path, work / f"owner-{width}", javascript=True, width=width)
            try:
                _administrator_pages(owner, site, folder, width)
            finally:
                owner.quit()
    for written in sorted(folder.glob("*.png")):
        print(written)
    return 0


def _administrator_pages(driver: Any, site: str, folder: Path, width: int) -> None:
    sign_in(driver, site, OWNER)
    for name, path in ADMINISTRATOR.items():
        _shot(driver, site + path, folder / f"{name}-{width}.png", width)
    account = f"/administrator/accounts/{open_account(driver, site, f'ada-{width}')}"
    _save(driver, folder / f"administrator-account-{width}.png", width)
    press(driver, "Give a reset code")
    _save(driver, folder / f"administrator-reset-code-{width}.png", width)
    _shot(driver, f"{site}/administrator/audit", folder / f"administrator-audit-{width}.png", width)
    _shot(
        driver,
        f"{site}{account}/delete-account",
        folder / f"administrator-delete-{width}.png",
        width,
    )


def _shot(driver: Any, url: str, path: Path, width: int) -> None:
    driver.get(url)
    _save(driver, path, width)


def _save(driver: Any, path: Path, width: int) -> None:
    # the whole page: as tall as its content
    height = driver.execute_script("return document.documentElement.scrollHeight") or 900
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    driver.save_screenshot(str(path))
    metrics["height"] = 900
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
