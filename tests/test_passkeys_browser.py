"""Passkeys in a real browser: Chromium, driven by Selenium, with its virtual
authenticator (a platform passkey that verifies its user) in place of a phone or a
security key. A passkey is added from /account/security, signs in with no password,
stands in for the code at a second step, and once removed signs in no more; with
JavaScript off the pages say a passkey needs it; axe-core checks the passkey pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import axe_violations, service
from tests.test_pages_browser import (
    PASSWORD,
    driver_path,  # noqa: F401 (a fixture)
    fill,
    new_username,
    open_browser,  # noqa: F401 (a fixture)
    path_of,
    press,
    register,
    sign_in,
    summary,
)


@pytest.fixture(scope="module")
def site(driver_path, tmp_path_factory):  # noqa: F811 (the fixture above)
    """The service at http://localhost:PORT: a passkey's relying party is a host name
    (never an address), and browsers allow WebAuthn over http on localhost alone."""
    with service(tmp_path_factory.mktemp("passkeys")) as base:
        yield base.replace("127.0.0.1", "localhost")


def with_authenticator(driver: Any) -> Any:
    """``driver`` with a virtual platform authenticator that keeps passkeys and verifies
    its user (as a fingerprint would)."""
    from selenium.webdriver.common.virtual_authenticator import VirtualAuthenticatorOptions

    options = VirtualAuthenticatorOptions(
        protocol=VirtualAuthenticatorOptions.Protocol.CTAP2,
        transport=VirtualAuthenticatorOptions.Transport.INTERNAL,
        has_resident_key=True,
        has_user_verification=True,
        is_user_verified=True,
    )
    driver.add_virtual_authenticator(options)
    return driver


def sign_out(driver: Any, site: str) -> None:
    driver.get(f"{site}/account/sign-out")
    press(driver, "Sign out")


def add_a_passkey(driver: Any, site: str, username: str, name: str) -> None:
    driver.get(f"{site}/account/security/passkeys/new")
    fill(driver, username=username, password=PASSWORD, name=name)
    press(driver, "Continue")
    press(driver, "Make the passkey")


def sign_in_with_a_passkey(driver: Any, site: str) -> None:
    driver.get(f"{site}/account/sign-in?return-to=/account/sessions")
    press(driver, "Sign in with a passkey")
    press(driver, "Use a passkey")


class TestPasskeys:
    def test_added_signs_in_without_a_password_then_removed_signs_in_no_more(
        self,
        site,
        open_browser,  # noqa: F811
    ):
        from selenium.webdriver.common.by import By

        driver = with_authenticator(open_browser(javascript=True))
        username = new_username()
        register(driver, site, username)
        add_a_passkey(driver, site, username, "Test laptop")
        assert path_of(driver) == "/account/security?notice=passkey-added"
        assert "Test laptop" in driver.find_element(By.TAG_NAME, "table").text
        (credential,) = driver.get_credentials()
        assert credential.rp_id == "localhost" and credential.is_resident_credential
        sign_out(driver, site)
        sign_in_with_a_passkey(driver, site)
        assert path_of(driver) == "/account/sessions"
        driver.get(f"{site}/account/security")
        driver.find_element(By.LINK_TEXT, "Test laptop").click()
        press(driver, "Remove the passkey")
        assert path_of(driver) == "/account/security?notice=passkey-removed"
        sign_out(driver, site)
        sign_in_with_a_passkey(driver, site)  # the authenticator still has it; the site not
        assert summary(driver) == [
            "That passkey did not sign you in: it is not one of this site's, or it took too long."
        ]

    def test_a_passkey_as_the_second_step_of_a_password_sign_in(self, site, open_browser):  # noqa: F811
        driver = with_authenticator(open_browser(javascript=True))
        username = new_username()
        register(driver, site, username)
        add_a_passkey(driver, site, username, "Phone")
        sign_out(driver, site)
        sign_in(driver, site, username, back="/account/sessions")
        assert path_of(driver).startswith("/account/second-step")
        press(driver, "Use a passkey instead")
        press(driver, "Use a passkey")
        assert path_of(driver) == "/account/sessions"

    def test_with_javascript_off_the_page_says_so_and_passwords_work(self, site, open_browser):  # noqa: F811
        from selenium.webdriver.common.by import By

        driver = open_browser(javascript=False)
        username = new_username()
        register(driver, site, username)
        sign_out(driver, site)
        driver.get(f"{site}/account/sign-in")
        press(driver, "Sign in with a passkey")
        text = driver.find_element(By.TAG_NAME, "main").text
        assert "Passkeys need JavaScript, which is off in this browser" in text
        assert not driver.find_element(By.ID, "passkey-start").is_displayed()
        sign_in(driver, site, username)
        assert path_of(driver) == "/account/"


def test_axe_finds_nothing_wrong_on_the_passkey_pages(site, open_browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    driver = with_authenticator(open_browser(javascript=True))
    username = new_username()
    register(driver, site, username)
    driver.get(f"{site}/account/security/passkeys/new")
    found = {"add (its form)": axe_violations(driver)}
    fill(driver, username=username, password=PASSWORD, name="Test laptop")
    press(driver, "Continue")
    found["add (the passkey button)"] = axe_violations(driver)
    press(driver, "Make the passkey")
    found["security (with a passkey)"] = axe_violations(driver)
    driver.find_element(By.LINK_TEXT, "Test laptop").click()
    found["a passkey"] = axe_violations(driver)
    fill(driver, name="")
    press(driver, "Rename")
    found["a passkey (errors)"] = axe_violations(driver)
    sign_out(driver, site)
    driver.get(f"{site}/account/sign-in")
    press(driver, "Sign in with a passkey")
    found["sign in (the passkey button)"] = axe_violations(driver)
    assert {page: each for page, each in found.items() if each} == {}
