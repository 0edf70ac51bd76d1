"""/account/register: an account made by the API's rules, then signed in."""

from __future__ import annotations

from tests.pages.conftest import Browser, errors_of

REGISTER = "/account/register"


def register(browser: Browser, username: str, password: str, confirm: str | None = None, **more):
    token = browser.form_token(REGISTER, "presession")
    fields = {
        "presession": token,
        "username": username,
        "password": password,
        "confirm": password if confirm is None else confirm,
        **more,
    }
    return browser.post(REGISTER, fields)


def test_the_page_says_how_long_a_password_is(make_app):
    page = Browser(make_app(minimum_password_length=12)).get(REGISTER)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "At least 12 characters." in html
    assert 'autocomplete="new-password"' in html


def test_registers_signs_in_and_returns(browser, call):
    answered = register(browser, "new-person", "a-long-passphrase", **{"return-to": "/notes"})
    assert (answered.status_code, answered.headers["Location"]) == (303, "/notes")
    assert browser.cookie("sessionid") is not None
    assert browser.get("/account/").status_code == 200
    body = {"username": "new-person", "password": "a-long-passphrase"}
    signed_in = call("user/create-session", "post", {"body": body})
    assert signed_in["object"] == "session"


def test_passwords_that_differ_are_said_beside_the_second(browser):
    answered = register(browser, "new-person", "a-long-passphrase", "a-long-passphrasf")
    assert answered.status_code == 400
    assert errors_of(answered) == ["The two passwords are not the same."]
    html = answered.get_data(as_text=True)
    assert 'id="confirm-error"' in html
    assert 'value="new-person"' in html and "a-long-passphrase" not in html


def test_a_taken_username_is_409_in_words(browser, user):
    answered = register(browser, user.username, "a-long-passphrase")
    assert answered.status_code == 409
    assert errors_of(answered) == ["That username is taken: choose another."]


def test_a_short_password_names_the_settings(make_app):
    answered = register(Browser(make_app(minimum_password_length=12)), "new-person", "short-one")
    assert answered.status_code == 400
    assert errors_of(answered) == ["A password has 12 to 128 characters."]


def test_registration_closed_is_said(make_app):
    answered = register(Browser(make_app(registration="closed")), "new-person", "a-long-passphrase")
    assert answered.status_code == 403
    assert errors_of(answered) == [
        "New accounts are made by the site's operator: ask them for one."
    ]


def test_a_form_without_the_browsers_token_makes_nothing(browser, error_of):
    browser.get(REGISTER)
    fields = {"presession": "0" * 64, "username": "new-person", "password": "a-long-passphrase"}
    answered = browser.post(REGISTER, {**fields, "confirm": "a-long-passphrase"})
    assert answered.status_code == 403
    assert browser.cookie("sessionid") is None
    body = {"username": "new-person", "password": "a-long-passphrase"}
    assert error_of("user/create-session", "post", {"body": body}) == "invalid-password"


def test_the_apis_registration_budget_is_the_pages_too(make_app):
    app = make_app(ratelimit_enabled=True, create_account_rate_limit="1 per hour")
    assert register(Browser(app), "first-person", "a-long-passphrase").status_code == 303
    refused = register(Browser(app), "second-person", "a-long-passphrase")
    assert refused.status_code == 429
    assert "Too many tries" in refused.get_data(as_text=True)
