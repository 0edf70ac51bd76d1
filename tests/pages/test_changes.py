"""The pages that change an account: password, username, verification, deletion and its
undoing, and a forgotten password set with a reset code."""

from __future__ import annotations

import pytest

from tests.pages.conftest import Browser, errors_of


def credentials(username: str, password: str) -> dict:
    return {"body": {"username": username, "password": password}}


@pytest.mark.parametrize(
    "path", ["/account/password", "/account/username", "/account/verify", "/account/sessions"]
)
def test_signed_out_goes_to_sign_in_and_back(browser, path):
    answered = browser.get(path)
    assert answered.status_code == 303
    assert answered.headers["Location"].startswith("/account/sign-in?return-to=%2Faccount%2F")


class TestPassword:
    def test_changed_other_sessions_end_this_one_goes_on(
        self, browser, user, make_browser, call, error_of
    ):
        other = make_browser()
        other.sign_in(user.username, user.password)
        browser.sign_in(user.username, user.password)
        fields = {
            "csrf-token": browser.csrf("/account/password"),
            "password": user.password,
            "new-password": "a-new-passphrase",
            "confirm": "a-new-passphrase",
        }
        answered = browser.post("/account/password", fields)
        assert answered.headers["Location"] == "/account/?notice=password"
        page = browser.get(answered.headers["Location"]).get_data(as_text=True)
        assert "Your password is changed. Your other sessions have ended." in page
        assert other.get("/account/").status_code == 303
        assert (
            call("user/create-session", "post", credentials(user.username, "a-new-passphrase"))[
                "object"
            ]
            == "session"
        )
        assert (
            error_of("user/create-session", "post", credentials(user.username, user.password))
            == "invalid-password"
        )

    def test_a_wrong_current_password_is_said_beside_it(self, browser, user):
        browser.sign_in(user.username, user.password)
        fields = {
            "csrf-token": browser.csrf("/account/password"),
            "password": "not-" + user.password,
            "new-password": "a-new-passphrase",
            "confirm": "a-new-passphrase",
        }
        answered = browser.post("/account/password", fields)
        assert answered.status_code == 400
        assert errors_of(answered) == ["The password is not right."]
        assert 'id="password-error"' in answered.get_data(as_text=True)

    def test_new_passwords_that_differ_change_nothing(self, browser, user, call, error_of):
        browser.sign_in(user.username, user.password)
        fields = {
            "csrf-token": browser.csrf("/account/password"),
            "password": user.password,
            "new-password": "a-new-passphrase",
            "confirm": "another-passphrase",
        }
        answered = browser.post("/account/password", fields)
        assert errors_of(answered) == ["The two passwords are not the same."]
        assert (
            call("user/create-session", "post", credentials(user.username, user.password))["object"]
            == "session"
        )

    def test_without_the_csrf_token_nothing_changes(self, browser, user, call, error_of):
        browser.sign_in(user.username, user.password)
        fields = {
            "csrf-token": "0" * 64,
            "password": user.password,
            "new-password": "a-new-passphrase",
            "confirm": "a-new-passphrase",
        }
        answered = browser.post("/account/password", fields)
        assert answered.status_code == 403
        assert (
            call("user/create-session", "post", credentials(user.username, user.password))["object"]
            == "session"
        )


class TestUsername:
    def test_changed_the_new_one_signs_in(self, browser, user, call, error_of):
        browser.sign_in(user.username, user.password)
        fields = {
            "csrf-token": browser.csrf("/account/username"),
            "new-username": "renamed-person",
            "password": user.password,
        }
        answered = browser.post("/account/username", fields)
        assert answered.headers["Location"] == "/account/?notice=username"
        assert (
            call("user/create-session", "post", credentials("renamed-person", user.password))[
                "object"
            ]
            == "session"
        )

    def test_a_taken_username_is_409_and_kept_in_the_form(self, browser, user, create_user):
        taken = create_user()
        browser.sign_in(user.username, user.password)
        fields = {
            "csrf-token": browser.csrf("/account/username"),
            "new-username": taken.username,
            "password": user.password,
        }
        answered = browser.post("/account/username", fields)
        assert answered.status_code == 409
        assert errors_of(answered) == ["That username is taken: choose another."]
        assert f'value="{taken.username}"' in answered.get_data(as_text=True)


class TestVerify:
    def test_confirmed_returns_where_asked(self, browser, user, call):
        browser.sign_in(user.username, user.password)
        fields = {
            "csrf-token": browser.csrf("/account/verify"),
            "username": user.username,
            "password": user.password,
            "return-to": "/account/sessions",
        }
        answered = browser.post("/account/verify", fields)
        assert (answered.status_code, answered.headers["Location"]) == (303, "/account/sessions")

    def test_a_wrong_password_confirms_nothing(self, browser, user):
        browser.sign_in(user.username, user.password)
        fields = {
            "csrf-token": browser.csrf("/account/verify"),
            "username": user.username,
            "password": "not-" + user.password,
        }
        answered = browser.post("/account/verify", fields)
        assert answered.status_code == 400
        assert errors_of(answered) == ["The password is not right."]


class TestDeletion:
    def schedule(self, browser: Browser, user) -> object:
        browser.sign_in(user.username, user.password)
        fields = {"csrf-token": browser.csrf("/account/delete"), "password": user.password}
        return browser.post("/account/delete", fields)

    def test_scheduled_every_session_ends_and_the_restore_form_is_shown(
        self, browser, user, make_browser
    ):
        other = make_browser()
        other.sign_in(user.username, user.password)
        answered = self.schedule(browser, user)
        assert answered.headers["Location"] == "/account/delete?notice=scheduled"
        assert browser.cookie("sessionid") is None
        assert other.get("/account/").status_code == 303
        page = browser.get(answered.headers["Location"]).get_data(as_text=True)
        assert "Your account will be deleted in 7 days" in page
        assert "Restore my account" in page

    def test_restored_it_signs_in_again(self, browser, user):
        self.schedule(browser, user)
        token = browser.form_token("/account/delete", "presession")
        fields = {"presession": token, "username": user.username, "password": user.password}
        answered = browser.post("/account/delete", fields)
        assert answered.headers["Location"] == "/account/sign-in?notice=restored"
        assert browser.sign_in(user.username, user.password).status_code == 303

    def test_a_wrong_password_restores_nothing(self, browser, user):
        self.schedule(browser, user)
        token = browser.form_token("/account/delete", "presession")
        fields = {"presession": token, "username": user.username, "password": "wrong-one!"}
        answered = browser.post("/account/delete", fields)
        assert answered.status_code == 400
        assert errors_of(answered) == ["The username or password is not right."]

    def test_a_wrong_password_schedules_nothing(self, browser, user):
        browser.sign_in(user.username, user.password)
        fields = {"csrf-token": browser.csrf("/account/delete"), "password": "wrong-one!"}
        answered = browser.post("/account/delete", fields)
        assert answered.status_code == 400
        assert browser.get("/account/").status_code == 200


class TestResetPassword:
    def reset(self, browser: Browser, username: str, code: str, new: str, confirm=None):
        fields = {
            "presession": browser.form_token("/account/reset-password", "presession"),
            "username": username,
            "secret-code": code,
            "new-password": new,
            "confirm": new if confirm is None else confirm,
        }
        return browser.post("/account/reset-password", fields)

    def test_a_reset_code_sets_a_new_password(self, browser, user, create_code, call, error_of):
        code = create_code(user)["secretCode"]
        answered = self.reset(browser, user.username, code, "a-new-passphrase")
        assert answered.headers["Location"] == "/account/sign-in?notice=reset"
        page = browser.get(answered.headers["Location"]).get_data(as_text=True)
        assert "Your new password is set" in page
        assert (
            call("user/create-session", "post", credentials(user.username, "a-new-passphrase"))[
                "object"
            ]
            == "session"
        )
        again = self.reset(browser, user.username, code, "another-passphrase")
        assert errors_of(again) == ["That username and reset code do not go together."]

    def test_the_code_is_never_shown_again(self, browser, user, create_code):
        code = create_code(user)["secretCode"]
        answered = self.reset(browser, user.username, code, "a-new-passphrase", "differs-here")
        assert errors_of(answered) == ["The two passwords are not the same."]
        assert code not in answered.get_data(as_text=True)

    def test_a_forged_form_is_refused(self, browser, user, create_code):
        code = create_code(user)["secretCode"]
        browser.get("/account/reset-password")
        fields = {
            "presession": "1" * 64,
            "username": user.username,
            "secret-code": code,
            "new-password": "a-new-passphrase",
            "confirm": "a-new-passphrase",
        }
        assert browser.post("/account/reset-password", fields).status_code == 403

    def test_counts_against_the_sign_in_budget(self, make_app, user, create_code):
        app = make_app(ratelimit_enabled=True, create_session_rate_limit="1 per minute")
        assert Browser(app).sign_in(user.username, user.password).status_code == 303
        code = create_code(user)["secretCode"]
        answered = self.reset(Browser(app), user.username, code, "a-new-passphrase")
        assert answered.status_code == 429


def test_a_notice_is_only_ever_one_of_the_services_own(browser):
    page = browser.get("/account/sign-in", query_string={"notice": "<b>hello</b>"})
    html = page.get_data(as_text=True)
    assert "hello" not in html and 'role="status"' not in html
