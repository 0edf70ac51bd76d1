"""/account/: who you are, when you last signed in, and from where."""

from __future__ import annotations


def test_signed_out_goes_to_sign_in_and_back(browser):
    answered = browser.get("/account/")
    assert answered.status_code == 303
    assert answered.headers["Location"] == "/account/sign-in?return-to=%2Faccount%2F"


def test_shows_the_account_and_this_session(browser, user):
    browser.headers["User-Agent"] = "Firefox/150"
    browser.sign_in(user.username, user.password)
    page = browser.get("/account/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert user.account["accountid"] in html
    assert "Last signed in" in html and "<time datetime=" in html
    assert "127.0.0.1" in html and "Firefox/150" in html
    assert user.password not in html and user.username not in html


def test_the_owner_is_told_so(browser, owner):
    browser.sign_in(owner.username, owner.password)
    assert "(the owner)" in browser.get("/account/").get_data(as_text=True)


def test_a_scripts_bearer_token_reads_the_page_and_sets_no_cookie(browser, user):
    # the pages read the browser's cookies; a script's token works there too, by the
    # API's rules, and nothing is set
    answered = browser.client.get("/account/", base_url="https://localhost", headers=user.bearer)
    assert answered.status_code == 200
    assert "Set-Cookie" not in answered.headers
