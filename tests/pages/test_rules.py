"""The rules every form of the pages is held to, form by form: a signed-in form needs the
session's CSRF token and its own site's page; a form before any session needs the
browser's pre-session token and its own site's page. Refused, nothing is written."""

from __future__ import annotations

import pytest

from tests.pages.conftest import Browser

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}

# Each signed-in form, with fields that would change something if it were accepted.
SIGNED_IN_FORMS = {
    "/account/sign-out": {},
    "/account/sessions": {"end": "all"},
    "/account/password": {"new-password": "a-new-passphrase", "confirm": "a-new-passphrase"},
    "/account/username": {"new-username": "taken-over"},
    "/account/verify": {},
    "/account/delete": {},
    "/account/reset-codes": {},
    "/account/profiles": {"action": "create", "full-name": "Forged", "contact-email": "f@x.io"},
}
PRESESSION_FORMS = {
    "/account/sign-in": {},
    "/account/register": {"confirm": "PASSWORD"},
    "/account/reset-password": {"secret-code": "0" * 40, "new-password": "a-new-passphrase"},
    "/account/delete": {},  # signed out: restore
}


def unchanged(browser: Browser, user, call) -> None:
    """Still signed in, with the same password and username, and nothing made."""
    assert browser.get("/account/").status_code == 200
    assert call(
        "user/create-session",
        "post",
        {"body": {"username": user.username, "password": user.password}},
    )
    query = {**user.req, "query": user.own}
    assert call("user/reset-codes-count", "get", query) == 0
    assert call("user/profiles-count", "get", query) == 0


@pytest.mark.parametrize("path", SIGNED_IN_FORMS)
def test_a_signed_in_form_without_the_sessions_token_is_refused(browser, user, call, path):
    browser.sign_in(user.username, user.password)
    fields = {**SIGNED_IN_FORMS[path], "csrf-token": "0" * 64, "password": user.password}
    fields.setdefault("username", user.username)
    answered = browser.post(path, fields)
    assert answered.status_code == 403
    assert "This form was open too long or came from elsewhere" in answered.get_data(as_text=True)
    unchanged(browser, user, call)


@pytest.mark.parametrize("path", SIGNED_IN_FORMS)
def test_a_signed_in_form_from_another_site_is_refused(browser, user, call, path):
    browser.sign_in(user.username, user.password)
    fields = {**SIGNED_IN_FORMS[path], "csrf-token": browser.csrf(), "password": user.password}
    fields.setdefault("username", user.username)
    answered = browser.post(path, fields, headers=CROSS_SITE)
    assert answered.status_code == 403
    assert "This form came from another site" in answered.get_data(as_text=True)
    unchanged(browser, user, call)


@pytest.mark.parametrize("path", PRESESSION_FORMS)
def test_a_form_before_any_session_from_another_site_is_refused(browser, user, path):
    token = browser.form_token(path, "presession")
    fields = {"presession": token, "username": user.username, "password": user.password}
    answered = browser.post(path, {**fields, **PRESESSION_FORMS[path]}, headers=CROSS_SITE)
    assert answered.status_code == 403
    assert "This form came from another site" in answered.get_data(as_text=True)
    assert browser.cookie("sessionid") is None


@pytest.mark.parametrize("path", PRESESSION_FORMS)
def test_a_form_before_any_session_without_the_browsers_token_is_refused(browser, user, path):
    browser.get(path)
    fields = {"presession": "0" * 64, "username": user.username, "password": user.password}
    answered = browser.post(path, {**fields, **PRESESSION_FORMS[path]})
    assert answered.status_code == 403
    assert "This form was open too long or came from elsewhere" in answered.get_data(as_text=True)
    assert browser.cookie("sessionid") is None
