"""/account/sign-in: a browser signs in with the same rules and budgets as the API."""

from __future__ import annotations

import pytest

from tests.pages.conftest import Browser, errors_of

SIGN_IN = "/account/sign-in"


class TestThePage:
    def test_a_form_with_labels_and_no_script(self, browser):
        page = browser.get(SIGN_IN)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert '<html lang="en">' in html
        assert '<label for="username">Username</label>' in html
        assert '<label for="password">Password</label>' in html
        assert 'autocomplete="current-password"' in html
        assert "<script" not in html
        assert "script-src" not in page.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Cache-Control"] == "no-store"

    def test_gives_the_browser_a_presession_token(self, browser):
        page = browser.get(SIGN_IN)
        cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith("presession="))
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
        assert browser.form_token(SIGN_IN, "presession") == browser.cookie("presession")

    def test_signed_in_already_goes_where_it_was_asked(self, browser, user):
        browser.sign_in(user.username, user.password)
        answered = browser.get(SIGN_IN, query_string={"return-to": "/account/sessions"})
        assert (answered.status_code, answered.headers["Location"]) == (303, "/account/sessions")


class TestSigningIn:
    def test_303_to_return_to_with_the_session_cookies(self, browser, user):
        answered = browser.sign_in(user.username, user.password, **{"return-to": "/notes"})
        assert (answered.status_code, answered.headers["Location"]) == (303, "/notes")
        cookies = {c.split("=", 1)[0]: c for c in answered.headers.getlist("Set-Cookie")}
        for name in ("sessionid", "token"):
            assert "HttpOnly" in cookies[name] and "SameSite=Strict" in cookies[name]
            assert "Secure" in cookies[name]
        assert browser.get("/account/").status_code == 200

    def test_remember_days_is_a_30_day_session(self, browser, user):
        browser.sign_in(user.username, user.password, remember="days")
        page = browser.get("/account/sessions").get_data(as_text=True)
        assert "this browser" in page
        sessionid = browser.cookie("sessionid")
        assert sessionid and sessionid.startswith("sess_")

    @pytest.mark.parametrize(
        "unsafe", ["//evil.example/", "https://evil.example/", "/%2F%2Fevil.example", "/\\evil"]
    )
    def test_never_returns_off_this_site(self, browser, user, unsafe):
        answered = browser.sign_in(user.username, user.password, **{"return-to": unsafe})
        assert answered.headers["Location"] == "/account/"


class TestRefused:
    def test_a_wrong_password_is_said_beside_the_field_and_in_the_summary(self, browser, user):
        answered = browser.sign_in(user.username, "not-" + user.password)
        assert answered.status_code == 400
        html = answered.get_data(as_text=True)
        assert errors_of(answered) == ["The username or password is not right."]
        assert 'id="password-error"' in html and 'aria-invalid="true"' in html
        assert f'value="{user.username}"' in html  # kept
        assert "not-" + user.password not in html  # never a password
        assert browser.cookie("sessionid") is None

    def test_an_unknown_username_reads_the_same(self, browser, user):
        answered = browser.sign_in("nobody-here", user.password)
        assert errors_of(answered) == ["The username or password is not right."]

    def test_a_form_without_the_browsers_token_is_refused(self, browser, user):
        """Login CSRF: another site's form cannot know the presession cookie."""
        browser.get(SIGN_IN)
        fields = {"presession": "f" * 64, "username": user.username, "password": user.password}
        answered = browser.post(SIGN_IN, fields)
        assert answered.status_code == 403
        assert errors_of(answered) == [
            "This form was open too long or came from elsewhere: try again."
        ]
        assert browser.cookie("sessionid") is None

    def test_from_another_sites_page_is_refused(self, browser, user):
        token = browser.form_token(SIGN_IN, "presession")
        fields = {"presession": token, "username": user.username, "password": user.password}
        answered = browser.post(SIGN_IN, fields, headers={"Sec-Fetch-Site": "cross-site"})
        assert answered.status_code == 403
        assert errors_of(answered) == ["This form came from another site, so it was not sent."]
        assert browser.cookie("sessionid") is None

    def test_an_account_scheduled_for_deletion_is_told_how_to_restore_it(self, browser, user, call):
        call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
        answered = browser.sign_in(user.username, user.password)
        assert answered.status_code == 403
        assert errors_of(answered) == [
            "This account is scheduled for deletion: restore it to sign in."
        ]


class TestLimits:
    def test_the_apis_budget_per_address_is_the_pages_too(self, make_app, user):
        app = make_app(ratelimit_enabled=True, create_session_rate_limit="2 per minute")
        api = app.test_client()
        body = {"username": user.username, "password": user.password}
        assert api.post("/api/user/create-session", json=body).status_code == 200
        assert Browser(app).sign_in(user.username, user.password).status_code == 303
        refused = Browser(app).sign_in(user.username, user.password)
        assert refused.status_code == 429
        assert "Too many tries" in refused.get_data(as_text=True)
        assert int(refused.headers["Retry-After"]) > 0
        assert api.post("/api/user/create-session", json=body).status_code == 429
