"""Second factors on the pages: the second step of a sign-in, and the authenticator app
added and removed from /account/security."""

from __future__ import annotations

import re

from tests.conftest import code_of
from tests.pages.conftest import Browser, errors_of


def waiting_browser(app, user) -> tuple[Browser, str]:
    """A browser signed in by password only; where it was sent."""
    browser = Browser(app)
    answered = browser.sign_in(user.username, user.password, **{"return-to": "/account/sessions"})
    return browser, answered.headers["Location"]


class TestSecondStep:
    def test_a_password_leads_to_the_second_step_then_back(self, app, user, add_totp, frozen_clock):
        secret = add_totp(user)
        browser, sent = waiting_browser(app, user)
        assert sent == "/account/second-step?return-to=%2Faccount%2Fsessions"
        page = browser.get(sent)
        assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.get_data(True)
        token = browser.form_token(sent, "csrf-token")
        fields = {
            "csrf-token": token,
            "code": code_of(secret, frozen_clock),
            "return-to": "/account/sessions",
        }
        done = browser.post("/account/second-step", fields)
        assert done.headers["Location"] == "/account/sessions"
        assert browser.get("/account/sessions").status_code == 200

    def test_every_page_waits_for_it(self, app, user, add_totp):
        add_totp(user)
        browser, _ = waiting_browser(app, user)
        for path in ("/account/", "/account/sessions", "/account/security"):
            answered = browser.get(path)
            assert answered.status_code == 303
            assert answered.headers["Location"].startswith("/account/second-step?return-to=")

    def test_a_wrong_code_is_said_in_words(self, app, user, add_totp):
        add_totp(user)
        browser, sent = waiting_browser(app, user)
        token = browser.form_token(sent, "csrf-token")
        answered = browser.post("/account/second-step", {"csrf-token": token, "code": "000000"})
        assert answered.status_code == 400
        assert errors_of(answered) == [
            "That code is not right, or was used already: type the one your app shows now."
        ]

    def test_a_reset_code_stands_in_for_the_app(self, app, user, add_totp, create_code):
        code = create_code(user, "recoverycode1234")["secretCode"]
        add_totp(user)
        browser, sent = waiting_browser(app, user)
        token = browser.form_token(sent, "csrf-token")
        done = browser.post("/account/second-step", {"csrf-token": token, "secret-code": code})
        assert done.status_code == 303
        assert browser.get("/account/").status_code == 200

    def test_without_a_form_token_nothing_is_completed(self, app, user, add_totp, frozen_clock):
        secret = add_totp(user)
        browser, _ = waiting_browser(app, user)
        answered = browser.post("/account/second-step", {"code": code_of(secret, frozen_clock)})
        assert answered.status_code == 403
        assert browser.get("/account/").status_code == 303

    def test_signed_out_goes_to_sign_in(self, browser):
        answered = browser.get("/account/second-step")
        assert answered.headers["Location"].startswith("/account/sign-in")


class TestSecurityPage:
    def test_add_an_app_secret_shown_once_then_confirmed(self, browser, user, frozen_clock, call):
        browser.sign_in(user.username, user.password)
        token = browser.csrf("/account/security")
        wrong = browser.post("/account/security", {"csrf-token": token, "password": "no"})
        assert errors_of(wrong) == ["The password is not right."]
        made = browser.post("/account/security", {"csrf-token": token, "password": user.password})
        text = made.get_data(as_text=True)
        (secret,) = re.findall(r'<code class="secret">([A-Z2-7]+)</code>', text)
        assert "<svg " in text and "<script" not in text
        bad = browser.post(
            "/account/security", {"csrf-token": token, "action": "confirm", "code": "000000"}
        )
        assert bad.status_code == 400
        fields = {"csrf-token": token, "action": "confirm", "code": code_of(secret, frozen_clock)}
        done = browser.post("/account/security", fields)
        assert done.headers["Location"] == "/account/security?notice=totp-added"
        assert call("user/account", "get", user.ask(user.own))["secondFactors"] == ["totp"]
        assert secret not in browser.get("/account/security").get_data(as_text=True)

    def test_remove_the_app_with_the_password(self, browser, user, add_totp, call, frozen_clock):
        secret = add_totp(user)
        browser.sign_in(user.username, user.password)
        token = browser.form_token("/account/second-step", "csrf-token")
        browser.post(
            "/account/second-step", {"csrf-token": token, "code": code_of(secret, frozen_clock)}
        )
        fields = {"csrf-token": token, "action": "delete", "password": user.password}
        done = browser.post("/account/security", fields)
        assert done.headers["Location"] == "/account/security?notice=totp-removed"
        assert call("user/account", "get", user.ask(user.own))["secondFactors"] == []


class TestAdministrator:
    def test_removes_a_users_second_factors_from_the_accounts_page(
        self, app, administrator, user, add_totp, call
    ):
        add_totp(user)
        browser = Browser(app)
        browser.sign_in(administrator.username, administrator.password)
        page = f"/administrator/accounts/{user.account['accountid']}"
        assert "authenticator app" in browser.get(page).get_data(as_text=True)
        token = browser.csrf(page)
        done = browser.post(f"{page}/reset-second-factors", {"csrf-token": token})
        assert done.headers["Location"] == f"{page}?notice=reset-second-factors"
        assert call("user/account", "get", user.ask(user.own))["secondFactors"] == []
