"""The pages in a real browser: Chromium, driven by Selenium, walks each flow a person
would, with JavaScript off; axe-core checks every page, at 1280 and at 360 pixels wide."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser import axe_violations, browser, chromedriver, service

PASSWORD = "a-long-passphrase"


@pytest.fixture(scope="module")
def driver_path() -> str:
    return chromedriver()


@pytest.fixture(scope="module")
def site(driver_path, tmp_path_factory):
    with service(tmp_path_factory.mktemp("pages")) as base:
        yield base


@pytest.fixture
def open_browser(driver_path, tmp_path):
    opened: list[Any] = []

    def make(javascript: bool = False, width: int = 1280) -> Any:
        opened.append(browser(driver_path, tmp_path / f"profile{len(opened)}", javascript, width))
        return opened[-1]

    yield make
    for each in opened:
        each.quit()


_names = iter(range(10**6))


def new_username() -> str:
    return f"person-{next(_names)}-{id(object()) % 10**6}"


def fill(driver: Any, **fields: str) -> None:
    from selenium.webdriver.common.by import By

    for name, value in fields.items():
        element = driver.find_element(By.ID, name.replace("_", "-"))
        element.clear()
        element.send_keys(value)


def press(driver: Any, text: str) -> None:
    """Press the button, and wait for the page its form brings, whole."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    button = driver.find_element(By.XPATH, f"//button[normalize-space()='{text}']")
    button.click()

    def arrived(_: Any) -> bool:
        try:
            button.is_enabled()  # raises once its page is gone, or going
            return False
        except WebDriverException:
            pass
        try:
            return bool(driver.execute_script("return document.readyState") == "complete")
        except WebDriverException:  # between two documents
            return False

    WebDriverWait(driver, 60).until(arrived)


def path_of(driver: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", driver.current_url)


def summary(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [item.text for item in driver.find_elements(By.CSS_SELECTOR, ".summary li")]


def register(driver: Any, site: str, username: str, password: str = PASSWORD) -> None:
    driver.get(f"{site}/account/register")
    fill(driver, username=username, password=password, confirm=password)
    press(driver, "Register")


def sign_in(driver: Any, site: str, username: str, password: str = PASSWORD, back: str = ""):
    driver.get(f"{site}/account/sign-in" + (f"?return-to={back}" if back else ""))
    fill(driver, username=username, password=password)
    press(driver, "Sign in")


class TestFlowsWithJavaScriptOff:
    def test_register_sign_out_and_sign_in_with_return_to(self, site, open_browser):
        driver = open_browser()
        username = new_username()
        register(driver, site, username)
        assert path_of(driver) == "/account/"
        assert "Your account" in driver.title
        driver.get(f"{site}/account/sign-out")
        press(driver, "Sign out")
        assert path_of(driver) == "/account/sign-in"
        driver.get(f"{site}/account/sessions")  # signed out: to sign in, and back after
        assert path_of(driver) == "/account/sign-in?return-to=%2Faccount%2Fsessions"
        fill(driver, username=username, password=PASSWORD)
        press(driver, "Sign in")
        assert path_of(driver) == "/account/sessions"

    def test_a_wrong_password_is_said_and_the_username_kept(self, site, open_browser):
        from selenium.webdriver.common.by import By

        driver = open_browser()
        username = new_username()
        register(driver, site, username)
        other = open_browser()
        sign_in(other, site, username, "not-the-password")
        assert summary(other) == ["The username or password is not right."]
        assert other.find_element(By.ID, "username").get_attribute("value") == username
        assert other.find_element(By.ID, "password").get_attribute("value") == ""
        assert other.find_element(By.ID, "password-error").is_displayed()

    def test_a_session_ended_elsewhere_is_signed_out_at_its_next_page(self, site, open_browser):
        from selenium.webdriver.common.by import By

        first, second = open_browser(), open_browser()
        username = new_username()
        register(first, site, username)
        sign_in(second, site, username)
        first.get(f"{site}/account/sessions")
        press(first, "End the other sessions")
        assert path_of(first) == "/account/sessions"
        assert len(first.find_elements(By.XPATH, "//button[normalize-space()='End']")) == 1
        second.get(f"{site}/account/")
        assert path_of(second).startswith("/account/sign-in")

    def test_change_the_password(self, site, open_browser):
        driver = open_browser()
        username = new_username()
        register(driver, site, username)
        driver.get(f"{site}/account/password")
        fill(driver, password=PASSWORD, new_password="a-newer-passphrase")
        fill(driver, confirm="a-newer-passphrase")
        press(driver, "Change the password")
        assert path_of(driver) == "/account/?notice=password"
        assert "Your password is changed" in driver.page_source
        fresh = open_browser()
        sign_in(fresh, site, username, "a-newer-passphrase")
        assert path_of(fresh) == "/account/"

    def test_reset_a_forgotten_password_with_a_reset_code(self, site, open_browser):
        from selenium.webdriver.common.by import By

        driver = open_browser()
        username = new_username()
        register(driver, site, username)
        driver.get(f"{site}/account/reset-codes")
        fill(driver, password=PASSWORD)
        press(driver, "Make a code")
        code = driver.find_element(By.CSS_SELECTOR, "code.secret").text
        forgetful = open_browser()
        forgetful.get(f"{site}/account/reset-password")
        fill(forgetful, username=username, secret_code=code)
        fill(forgetful, new_password="a-reset-passphrase", confirm="a-reset-passphrase")
        press(forgetful, "Set the new password")
        assert path_of(forgetful) == "/account/sign-in?notice=reset"
        fill(forgetful, username=username, password="a-reset-passphrase")
        press(forgetful, "Sign in")
        assert path_of(forgetful) == "/account/"
        driver.get(f"{site}/account/")  # the code ended every session, this one too
        assert path_of(driver).startswith("/account/sign-in")

    def test_schedule_the_deletion_then_restore(self, site, open_browser):
        driver = open_browser()
        username = new_username()
        register(driver, site, username)
        driver.get(f"{site}/account/delete")
        fill(driver, password=PASSWORD)
        press(driver, "Delete my account")
        assert path_of(driver) == "/account/delete?notice=scheduled"
        fill(driver, username=username, password=PASSWORD)
        press(driver, "Restore my account")
        assert path_of(driver) == "/account/sign-in?notice=restored"
        sign_in(driver, site, username)
        assert path_of(driver) == "/account/"

    def test_profiles_the_username_and_a_fresh_verification(self, site, open_browser):
        from selenium.webdriver.common.by import By

        driver = open_browser()
        username = new_username()
        register(driver, site, username)
        driver.get(f"{site}/account/profiles")
        fill(driver, full_name="Ada Lovelace", contact_email="ada@example.com")
        press(driver, "Add the profile")
        assert path_of(driver) == "/account/profiles"
        assert "Ada Lovelace" in driver.find_element(By.TAG_NAME, "main").text
        driver.get(driver.find_element(By.LINK_TEXT, "Edit").get_attribute("href"))
        fill(driver, full_name="Ada King")
        press(driver, "Save")
        assert "Ada King" in driver.find_element(By.TAG_NAME, "main").text
        driver.get(f"{site}/account/username")
        renamed = new_username()
        fill(driver, new_username=renamed, password=PASSWORD)
        press(driver, "Change the username")
        assert path_of(driver) == "/account/?notice=username"
        driver.get(f"{site}/account/verify?return-to=/account/sessions")
        fill(driver, username=renamed, password=PASSWORD)
        press(driver, "Confirm")
        assert path_of(driver) == "/account/sessions"


def add_an_authenticator_app(driver: Any, site: str) -> str:
    """On the security page, add an app; its secret (read as a person would)."""
    from selenium.webdriver.common.by import By

    driver.get(f"{site}/account/security")
    fill(driver, password=PASSWORD)
    press(driver, "Add an authenticator app")
    secret = driver.find_element(By.CSS_SELECTOR, "code.secret").text
    fill(driver, code=_code(secret))
    press(driver, "Turn it on")
    return secret


def _code(secret: str, steps: int = 0) -> str:
    import time

    import pyotp

    return pyotp.TOTP(secret).at(int(time.time()) + 30 * steps)


class TestSecondFactorsWithJavaScriptOff:
    def test_an_app_added_then_a_sign_in_in_two_steps(self, site, open_browser):
        driver = open_browser()
        username = new_username()
        register(driver, site, username)
        secret = add_an_authenticator_app(driver, site)
        assert path_of(driver) == "/account/security?notice=totp-added"
        other = open_browser()
        sign_in(other, site, username, back="/account/sessions")
        assert path_of(other) == "/account/second-step?return-to=%2Faccount%2Fsessions"
        fill(other, code="000000")
        press(other, "Confirm")
        assert summary(other) == [
            "That code is not right, or was used already: type the one your app shows now."
        ]
        fill(other, code=_code(secret, steps=1))  # the next step's: this one's is used
        press(other, "Confirm")
        assert path_of(other) == "/account/sessions"


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_nothing_wrong_on_the_second_factor_pages(site, open_browser, width):
    driver = open_browser(javascript=True, width=width)
    username = new_username()
    register(driver, site, username)
    driver.get(f"{site}/account/security")
    fill(driver, password=PASSWORD)
    press(driver, "Add an authenticator app")
    found = {"security (the secret and its QR code)": axe_violations(driver)}
    from selenium.webdriver.common.by import By

    fill(driver, code=_code(driver.find_element(By.CSS_SELECTOR, "code.secret").text))
    press(driver, "Turn it on")
    found["security (on)"] = axe_violations(driver)
    other = open_browser(javascript=True, width=width)
    sign_in(other, site, username)
    press(other, "Confirm")  # no code: the form with its error
    found["second step (errors)"] = axe_violations(other)
    wide = other.execute_script("return document.documentElement.scrollWidth")
    found["second step (width)"] = [] if wide <= width else [f"{wide} px wide"]
    assert {page: each for page, each in found.items() if each} == {}


SIGNED_OUT_PAGES = ["/account/sign-in", "/account/register", "/account/reset-password"]
SIGNED_IN_PAGES = [
    "/account/",
    "/account/sessions",
    "/account/password",
    "/account/username",
    "/account/verify",
    "/account/reset-codes",
    "/account/profiles",
    "/account/security",
    "/account/delete",
    "/account/sign-out",
]


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_nothing_wrong_on_any_page(site, open_browser, width):
    driver = open_browser(javascript=True, width=width)
    found: dict[str, Any] = {}
    for path in SIGNED_OUT_PAGES:
        driver.get(site + path)
        found[path] = axe_violations(driver)
    driver.get(f"{site}/account/sign-in")
    press(driver, "Sign in")  # the form with its errors
    found["/account/sign-in (errors)"] = axe_violations(driver)
    register(driver, site, new_username())
    for path in SIGNED_IN_PAGES:
        driver.get(site + path)
        found[path] = axe_violations(driver)
        wide = driver.execute_script("return document.documentElement.scrollWidth")
        found[path + " (width)"] = [] if wide <= width else [f"{wide} px wide"]
    assert {path: each for path, each in found.items() if each} == {}


def test_axe_does_find_what_is_wrong(open_browser):
    """The check above can fail: a field without a label, on a page without a language."""
    driver = open_browser(javascript=True)
    driver.get("data:text/html,<title>t</title><main><input id=x></main>")
    assert {"label", "html-has-lang"} <= {each["id"] for each in axe_violations(driver)}


def test_the_screenshots_command_writes_every_page_at_both_widths(driver_path, tmp_path):
    import subprocess
    import sys

    from tests import screenshots

    made = subprocess.run(
        [sys.executable, "-m", "tests.screenshots", str(tmp_path / "shots")],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    pages = [
        *screenshots.SIGNED_OUT,
        "sign-in-errors",
        *screenshots.SIGNED_IN,
        *screenshots.ADMINISTRATOR,
        *screenshots.ADMINISTRATOR_MORE,
    ]
    expected = {f"{page}-{width}.png" for page in pages for width in screenshots.WIDTHS}
    written = {path.name for path in (tmp_path / "shots").iterdir()}
    assert written == expected
    assert all(
        (tmp_path / "shots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in written
    )
