"""The administrator's pages in a real browser: Chromium, driven by Selenium with
JavaScript off, walks a support case end to end; a user gets 403 pages; a stale
verification is asked again; the rank rule refuses; axe-core checks every page at 1280
and at 360 pixels wide."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import age_verifications, axe_violations, create_owner, service
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

OWNER = "site-owner"


@pytest.fixture(scope="module")
def site(driver_path, tmp_path_factory):  # noqa: F811 (the fixture above)
    """The service with its owner (made at the command line): (base URL, its folder)."""
    folder = tmp_path_factory.mktemp("administration")
    with service(folder) as base:
        create_owner(folder, OWNER, PASSWORD)
        yield base, folder


def open_account(driver: Any, base: str, username: str) -> str:
    """Find the account of ``username`` and open its page; its accountid."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/administrator/accounts")
    fill(driver, username=username)
    press(driver, "Find")
    (link,) = driver.find_elements(By.CSS_SELECTOR, "td[data-label=Account] a")
    accountid = link.text
    driver.get(link.get_attribute("href"))
    return accountid


def test_a_support_case_end_to_end(site, open_browser):  # noqa: F811
    """A user who lost their phone and their password: the owner finds them by name,
    ends every session, gives a reset code; the user sets a new password with it."""
    from selenium.webdriver.common.by import By

    base, _ = site
    person, phone = open_browser(), open_browser()
    username = new_username()
    register(person, base, username)
    sign_in(phone, base, username)
    owner = open_browser()
    sign_in(owner, base, OWNER)
    accountid = open_account(owner, base, username.upper())  # any form of the name
    assert path_of(owner) == f"/administrator/accounts/{accountid}"
    assert len(owner.find_elements(By.CSS_SELECTOR, "td[data-label=State]")) == 2
    press(owner, "End every session")
    assert path_of(owner).endswith("?notice=reset-session-key")
    assert "Every session of the account has ended." in owner.page_source
    phone.get(f"{base}/account/")  # the lost phone is signed out at its next page
    assert path_of(phone).startswith("/account/sign-in")
    press(owner, "Give a reset code")
    code = owner.find_element(By.CSS_SELECTOR, "code.secret").text
    assert len(code) == 40
    person.get(f"{base}/account/reset-password")
    fill(person, username=username, secret_code=code)
    fill(person, new_password="a-fresh-passphrase", confirm="a-fresh-passphrase")
    press(person, "Set the new password")
    assert path_of(person) == "/account/sign-in?notice=reset"
    fill(person, username=username, password="a-fresh-passphrase")
    press(person, "Sign in")
    assert path_of(person) == "/account/"
    owner.get(f"{base}/administrator/audit")
    did = [cell.text for cell in owner.find_elements(By.CSS_SELECTOR, "td[data-label=Did]")]
    assert did[:2] == ["gave a reset code", "ended every session"]


def test_a_user_gets_403_pages(site, open_browser):  # noqa: F811
    base, _ = site
    driver = open_browser()
    register(driver, base, new_username())
    for path in ("/administrator/", "/administrator/accounts", "/administrator/audit"):
        driver.get(base + path)
        assert driver.title == "Administrators only · Dashboard"
        assert "for the site's administrators" in driver.page_source.replace("&#39;", "'")


def test_a_stale_verification_is_asked_again_then_confirmed(site, open_browser):  # noqa: F811
    base, folder = site
    someone = open_browser()
    username = new_username()
    register(someone, base, username)
    owner = open_browser()
    sign_in(owner, base, OWNER)
    accountid = open_account(owner, base, username)
    age_verifications(folder)
    press(owner, "Make an administrator")
    write = f"/administrator/accounts/{accountid}/set-account-administrator"
    assert path_of(owner) == "/account/verify?return-to=" + write.replace("/", "%2F")
    fill(owner, username=OWNER, password=PASSWORD)
    press(owner, "Confirm")
    assert path_of(owner) == write
    assert owner.title.startswith("Make an administrator: are you sure?")
    press(owner, "Make an administrator")
    assert path_of(owner).endswith("?notice=set-account-administrator")
    assert "The account is an administrator now." in owner.page_source


def test_the_rank_rule_refuses_an_administrator_acting_on_the_owner(
    site,
    open_browser,  # noqa: F811
):
    base, folder = site
    helper = open_browser()
    username = new_username()
    register(helper, base, username)
    owner = open_browser()
    sign_in(owner, base, OWNER)
    open_account(owner, base, username)
    press(owner, "Make an administrator")
    # the helper's session, from registering, is lately verified
    open_account(helper, base, OWNER)
    press(helper, "End every session")
    assert summary(helper) == [
        "You cannot do this to this account: no one acts on the owner's account, only "
        "the owner on an administrator's, and not on one scheduled for deletion."
    ]
    owner.get(f"{base}/administrator/")
    assert path_of(owner) == "/administrator/"  # still signed in


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_nothing_wrong_on_any_administrator_page(site, open_browser, width):  # noqa: F811
    base, _ = site
    someone = open_browser(javascript=True, width=width)
    username = new_username()
    register(someone, base, username)
    someone.get(f"{base}/administrator/")
    found: dict[str, Any] = {"403 (a user)": axe_violations(someone)}
    driver = open_browser(javascript=True, width=width)
    sign_in(driver, base, OWNER)
    accountid = open_account(driver, base, username)
    account = f"/administrator/accounts/{accountid}"
    for path in (
        "/administrator/",
        "/administrator/accounts",
        "/administrator/sessions",
        "/administrator/audit",
        account,
        f"{account}/delete-account",
    ):
        driver.get(base + path)
        found[path] = axe_violations(driver)
        wide = driver.execute_script("return document.documentElement.scrollWidth")
        found[path + " (width)"] = [] if wide <= width else [f"{wide} px wide"]
    press(driver, "Delete now")  # no username typed: the form with its error
    found["delete-account (errors)"] = axe_violations(driver)
    driver.get(f"{base}{account}")
    press(driver, "Give a reset code")  # the code, shown once
    found["reset code"] = axe_violations(driver)
    assert {path: each for path, each in found.items() if each} == {}
