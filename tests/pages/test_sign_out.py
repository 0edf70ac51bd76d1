"""/account/sign-out: this browser's session ends, and its cookies go."""

from __future__ import annotations

from tests.pages.conftest import errors_of

SIGN_OUT = "/account/sign-out"


def test_signed_out_goes_to_sign_in_and_back(browser):
    answered = browser.get(SIGN_OUT)
    assert answered.status_code == 303
    assert answered.headers["Location"] == "/account/sign-in?return-to=%2Faccount%2Fsign-out"


def test_a_button_ends_this_session_and_clears_its_cookies(browser, user, make_browser):
    browser.sign_in(user.username, user.password)
    other = make_browser()
    other.sign_in(user.username, user.password)
    sessionid = browser.cookie("sessionid")
    answered = browser.post(SIGN_OUT, {"csrf-token": browser.csrf(SIGN_OUT)})
    assert (answered.status_code, answered.headers["Location"]) == (303, "/account/sign-in")
    cleared = answered.headers.getlist("Set-Cookie")
    assert any(c.startswith("sessionid=;") and "Max-Age=0" in c for c in cleared)
    assert browser.cookie("sessionid") is None
    assert browser.get("/account/").status_code == 303
    assert other.get("/account/").status_code == 200  # only this browser's session ended
    assert sessionid != other.cookie("sessionid")


def test_without_the_sessions_csrf_token_nothing_ends(browser, user):
    browser.sign_in(user.username, user.password)
    answered = browser.post(SIGN_OUT, {"csrf-token": "0" * 64})
    assert answered.status_code == 403
    assert "This form was open too long or came from elsewhere" in answered.get_data(as_text=True)
    assert errors_of(answered) == []  # a page of its own, not a form's summary
    assert browser.get("/account/").status_code == 200
