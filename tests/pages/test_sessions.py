"""/account/sessions: where you are signed in, and ending those sessions."""

from __future__ import annotations

SESSIONS = "/account/sessions"


def test_lists_every_session_with_its_device_and_address(browser, user):
    browser.sign_in(user.username, user.password)
    html = browser.get(SESSIONS).get_data(as_text=True)
    assert "this browser" in html
    assert html.count("<tr>") == 1 + 2  # the header row, the fixture's session and this one
    assert "127.0.0.1" in html


def test_ending_another_session_signs_that_browser_out_at_its_next_page(
    browser, user, make_browser
):
    other = make_browser()
    other.sign_in(user.username, user.password)
    browser.sign_in(user.username, user.password)
    answered = browser.post(
        SESSIONS, {"csrf-token": browser.csrf(), "sessionid": other.cookie("sessionid")}
    )
    assert (answered.status_code, answered.headers["Location"]) == (303, SESSIONS)
    assert other.get("/account/").status_code == 303  # to sign in
    assert browser.get("/account/").status_code == 200


def test_ending_every_session_signs_everyone_out(browser, user, make_browser, client):
    other = make_browser()
    other.sign_in(user.username, user.password)
    browser.sign_in(user.username, user.password)
    answered = browser.post(SESSIONS, {"csrf-token": browser.csrf(), "end": "all"})
    assert (answered.status_code, answered.headers["Location"]) == (303, "/account/sign-in")
    assert browser.cookie("sessionid") is None
    assert other.get("/account/").status_code == 303
    query = {"accountid": user.account["accountid"]}
    assert (
        client.get("/api/user/account", query_string=query, headers=user.bearer).status_code == 401
    )


def test_another_accounts_session_is_not_found(browser, user, create_user):
    stranger = create_user()
    browser.sign_in(user.username, user.password)
    answered = browser.post(
        SESSIONS, {"csrf-token": browser.csrf(), "sessionid": stranger.session["sessionid"]}
    )
    assert answered.status_code == 403
    assert "That is not yours to change" in answered.get_data(as_text=True)
    assert stranger.session["sessionid"] not in answered.get_data(as_text=True)
