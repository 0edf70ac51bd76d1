"""Passkeys on the pages: signing in with one, one as the second step, and adding,
renaming and removing them; the one script, on these pages alone. The browser's part
(navigator.credentials) is played by tests/authenticator.py here, by Chromium in
tests/test_passkeys_browser.py."""

from __future__ import annotations

import json
import re

import pytest

from tests.authenticator import Authenticator
from tests.pages.conftest import Browser, errors_of

ORIGIN = "https://localhost"  # the pages' tests browse over https


def options_on(page) -> dict:
    found = re.search(
        r'<script type="application/json" id="passkey-options">(.*?)</script>',
        page.get_data(True),
        re.S,
    )
    assert found, "no passkey options on the page"
    return json.loads(found.group(1))


def hidden_on(page) -> dict[str, str]:
    form = re.search(r'<form [^>]*id="passkey-form".*?</form>', page.get_data(True), re.S).group(0)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def passkey_page(browser: Browser, remember: str = "") -> object:
    token = browser.form_token("/account/sign-in", "presession")
    fields = {"presession": token, "return-to": "/account/sessions", "remember": remember}
    return browser.post("/account/sign-in/passkey", fields)


class TestSignIn:
    def test_with_a_passkey_alone(self, browser, user, add_passkey):
        held = add_passkey(user)
        page = passkey_page(browser, remember="days")
        assert page.status_code == 200
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        fields = hidden_on(page)
        assert fields["return-to"] == "/account/sessions" and fields["remember"] == "days"
        fields["credential"] = held.get(options_on(page), origin=ORIGIN)
        done = browser.post("/account/sign-in/passkey/answer", fields)
        assert (done.status_code, done.headers["Location"]) == (303, "/account/sessions")
        assert browser.get("/account/").status_code == 200

    def test_a_passkey_not_of_this_site_is_said_in_words(self, browser, user, add_passkey):
        add_passkey(user)
        stranger = Authenticator(origin=ORIGIN)
        stranger.create({"rp": {"id": "localhost"}, "user": {"id": "YWJj"}, "challenge": "A" * 43})
        page = passkey_page(browser)
        fields = {**hidden_on(page), "credential": stranger.get(options_on(page))}
        answered = browser.post("/account/sign-in/passkey/answer", fields)
        assert answered.status_code == 400
        assert errors_of(answered) == [
            "That passkey did not sign you in: it is not one of this site's, or it took too long."
        ]
        assert browser.get("/account/").status_code == 303

    def test_without_the_forms_token_nothing_is_given(self, browser):
        assert browser.post("/account/sign-in/passkey", {}).status_code == 403
        assert (
            browser.post("/account/sign-in/passkey/answer", {"credential": "{}"}).status_code == 403
        )

    def test_the_page_says_what_to_do_without_javascript(self, browser):
        page = passkey_page(browser).get_data(True)
        assert "<noscript>" in page and 'id="passkey-start" hidden' in page


class TestSecondStep:
    def test_a_passkey_completes_a_password_sign_in(self, browser, user, add_totp, add_passkey):
        add_totp(user)
        held = add_passkey(user)
        sent = browser.sign_in(user.username, user.password, **{"return-to": "/account/sessions"})
        token = browser.form_token(sent.headers["Location"], "csrf-token")
        page = browser.post(
            "/account/second-step/passkey", {"csrf-token": token, "return-to": "/account/sessions"}
        )
        fields = {**hidden_on(page), "credential": held.get(options_on(page), origin=ORIGIN)}
        done = browser.post("/account/second-step", fields)
        assert (done.status_code, done.headers["Location"]) == (303, "/account/sessions")
        assert browser.get("/account/").status_code == 200

    def test_without_a_waiting_sign_in_it_goes_on(self, browser, user):
        browser.sign_in(user.username, user.password)
        token = browser.csrf()
        answered = browser.post("/account/second-step/passkey", {"csrf-token": token})
        assert answered.headers["Location"].startswith("/account/second-step")


class TestAdd:
    def test_confirm_it_is_you_then_make_it_named(self, browser, user, call):
        browser.sign_in(user.username, user.password)
        token = browser.csrf("/account/security/passkeys/new")
        fields = {"csrf-token": token, "username": user.username, "password": user.password}
        page = browser.post("/account/security/passkeys/new", {**fields, "name": "Work laptop"})
        assert (
            page.status_code == 200
            and "script-src 'self'" in page.headers["Content-Security-Policy"]
        )
        answer = {
            **hidden_on(page),
            "credential": Authenticator(origin=ORIGIN).create(options_on(page)),
        }
        assert answer["name"] == "Work laptop" and "password" not in answer
        done = browser.post("/account/security/passkeys/new", answer)
        assert done.headers["Location"] == "/account/security?notice=passkey-added"
        security = browser.get(done.headers["Location"]).get_data(True)
        assert "Work laptop" in security and "Your passkey is added" in security
        assert call("user/account", "get", user.ask(user.own))["secondFactors"] == ["passkey"]

    @pytest.mark.parametrize(
        ("change", "said"),
        [
            ({"username": "someone-else"}, "That is not your username."),
            ({"password": "not-it"}, "The password is not right."),
        ],
    )
    def test_wrong_details_are_said_in_words(self, browser, user, change, said):
        browser.sign_in(user.username, user.password)
        token = browser.csrf("/account/security/passkeys/new")
        fields = {"csrf-token": token, "username": user.username, "password": user.password}
        answered = browser.post("/account/security/passkeys/new", {**fields, **change})
        assert errors_of(answered) == [said]

    def test_an_answer_from_elsewhere_is_refused(self, browser, user):
        browser.sign_in(user.username, user.password)
        token = browser.csrf("/account/security/passkeys/new")
        fields = {"csrf-token": token, "username": user.username, "password": user.password}
        page = browser.post("/account/security/passkeys/new", fields)
        made = Authenticator(origin="https://evil.example").create(options_on(page))
        answered = browser.post(
            "/account/security/passkeys/new", {**hidden_on(page), "credential": made}
        )
        assert answered.status_code == 400 and errors_of(answered)


class TestChange:
    def test_rename_then_remove(self, browser, user, add_passkey):
        browser.sign_in(user.username, user.password)  # then a passkey, on another device
        passkey = add_passkey(user, name="Old name").passkey
        path = f"/account/security/passkeys/{passkey['passkeyid']}"
        token = browser.csrf(path)
        empty = browser.post(path, {"csrf-token": token, "action": "rename", "name": " "})
        assert errors_of(empty) == ["Give the passkey a name of up to 50 characters."]
        renamed = browser.post(path, {"csrf-token": token, "action": "rename", "name": "Phone"})
        assert renamed.headers["Location"] == "/account/security?notice=passkey-renamed"
        assert "Phone" in browser.get("/account/security").get_data(True)
        removed = browser.post(path, {"csrf-token": token, "action": "delete"})
        assert removed.headers["Location"] == "/account/security?notice=passkey-removed"
        assert "No passkeys yet" in browser.get("/account/security").get_data(True)
        assert browser.get(path).status_code == 404

    def test_another_accounts_passkey_is_not_found(self, browser, create_user, add_passkey):
        user, other = create_user(), create_user()
        theirs = add_passkey(other).passkey
        browser.sign_in(user.username, user.password)
        assert browser.get(f"/account/security/passkeys/{theirs['passkeyid']}").status_code == 404

    def test_removing_asks_for_a_fresh_verification(
        self, app, browser, user, add_passkey, frozen_clock
    ):
        browser.sign_in(user.username, user.password, remember="days")
        passkey = add_passkey(user).passkey
        path = f"/account/security/passkeys/{passkey['passkeyid']}"
        token = browser.csrf(path)
        frozen_clock.advance(
            seconds=app.extensions["dashboard"].config.session_verification_delay + 1
        )
        answered = browser.post(path, {"csrf-token": token, "action": "delete"})
        assert answered.headers["Location"].startswith("/account/verify?return-to=")


class TestScript:
    def test_served_as_javascript_and_only_passkey_pages_may_run_it(self, browser, user):
        script = browser.get("/account/passkey.js")
        assert script.mimetype == "text/javascript" and "navigator.credentials" in script.get_data(
            True
        )
        for path in ("/account/sign-in", "/account/register"):
            assert "script-src" not in browser.get(path).headers["Content-Security-Policy"]
