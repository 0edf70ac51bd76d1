"""The administrator's pages over HTTP: who may see them, what they show, each §9 write
as a button, a fresh verification asked again, the rank rule, and their forms' rules."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in
from tests.pages.conftest import Browser, errors_of

PAGES = [
    "/administrator/",
    "/administrator/accounts",
    "/administrator/sessions",
    "/administrator/audit",
]


def admin_browser(app, person, **more: str) -> Browser:
    browser = Browser(app)
    assert browser.sign_in(person.username, person.password, **more).status_code == 303
    return browser


def page_of(user) -> str:
    return f"/administrator/accounts/{user.account['accountid']}"


def do(browser: Browser, user, write: str, **fields: str):
    """POST ``write`` to ``user``'s account, with the form's CSRF token."""
    token = browser.csrf(page_of(user))
    return browser.post(f"{page_of(user)}/{write}", {"csrf-token": token, **fields})


def texts(response, pattern: str) -> list[str]:
    return re.findall(pattern, response.get_data(as_text=True), re.S)


class TestWhoMaySee:
    @pytest.mark.parametrize("path", PAGES)
    def test_signed_out_goes_to_sign_in_and_back(self, browser, path):
        answered = browser.get(path)
        assert answered.status_code == 303
        assert answered.headers["Location"].startswith(
            "/account/sign-in?return-to=%2Fadministrator"
        )

    @pytest.mark.parametrize("path", [*PAGES, "{account}", "{account}/reset-session-key"])
    def test_a_user_gets_a_403_page(self, app, user, owner, path):
        browser = admin_browser(app, user)
        answered = browser.get(path.format(account=page_of(owner)))
        assert answered.status_code == 403
        assert answered.mimetype == "text/html"
        page = answered.get_data(as_text=True)
        assert "Administrators only" in page and "for the site&#39;s administrators" in page

    def test_a_user_cannot_write_either(self, app, user, owner, call):
        browser = admin_browser(app, user)
        token = browser.csrf("/account/sessions")
        answered = browser.post(f"{page_of(owner)}/reset-session-key", {"csrf-token": token})
        assert answered.status_code == 403
        assert call("user/account", "get", owner.ask(owner.own))["sessionKeyNumber"] == 1

    def test_an_administrator_sees_the_links_of_the_administration(self, app, administrator):
        page = admin_browser(app, administrator).get("/administrator/").get_data(as_text=True)
        assert 'aria-label="Administration"' in page
        assert all(f'href="{path}"' in page for path in PAGES)


class TestOverview:
    def test_the_figures_of_the_site(self, app, owner, administrator, create_user, call):
        doomed = create_user()
        call("user/set-account-deleted", "patch", doomed.ask(doomed.own, password=doomed.password))
        page = admin_browser(app, administrator).get("/administrator/")
        figures = dict(texts(page, r"<dt>([^<]+)</dt><dd><a [^>]+>(\d+)</a>"))
        # owner, administrator, doomed; the owner's and two of the administrator's sessions
        assert figures == {
            "Accounts": "3",
            "Administrators": "2",
            "Sessions active": "3",
            "Deletions scheduled": "1",
        }

    def test_each_metric_drawn_by_day_and_by_month_with_its_words_and_figures(
        self, app, administrator
    ):
        page = admin_browser(app, administrator).get("/administrator/")
        assert page.status_code == 200
        charts = texts(page, r'<svg [^>]*role="img" aria-labelledby="([^"]+)"')
        assert len(charts) == 8
        for labelled in charts:
            title, description = labelled.split()
            assert f'id="{title}"' in page.get_data(as_text=True)
            assert f'id="{description}"' in page.get_data(as_text=True)
        titles = texts(page, r'<title id="[^"]+">([^<]+)</title>')
        assert titles[:2] == ["Sign-ins by day", "Sign-ins by month"]
        # three sign-ins today (the owner's, the administrator's, this browser's), two
        # registrations
        said = texts(page, r"<figcaption>([^<]+)</figcaption>")
        assert said[0].startswith("Sign-ins by day, ") and "3 in all; the most, 3, on" in said[0]
        assert "Registrations by month" in said[3] and "2 in all" in said[3]
        assert said[4].endswith(": none.")
        rows = texts(page, r'<tr><th scope="row">[^<]+</th><td>(\d+)</td></tr>')
        assert len(rows) == 4 * (30 + 12)

    def test_no_script_and_the_pages_policy(self, app, administrator):
        page = admin_browser(app, administrator).get("/administrator/")
        assert "<script" not in page.get_data(as_text=True)
        assert "script-src" not in page.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


class TestAccounts:
    def test_newest_first_with_rank_and_state(self, app, owner, administrator, create_user):
        users = [create_user() for _ in range(2)]
        page = admin_browser(app, administrator).get("/administrator/accounts")
        listed = texts(page, r'<td data-label="Account"><a [^>]+><code>([^<]+)</code>')
        newest = [user.account["accountid"] for user in users[::-1]]
        assert listed[:2] == newest
        assert "4 accounts, newest first." in page.get_data(as_text=True)

    def test_paged(self, make_app, owner, administrator, create_user):
        app = make_app(page_size=2)
        for _ in range(3):
            create_user()
        browser = admin_browser(app, administrator)
        first = browser.get("/administrator/accounts")
        assert len(texts(first, r'data-label="Account"')) == 2
        older = texts(first, r'<a href="([^"]+)">Older</a>')[0].replace("&amp;", "&")
        second = browser.get(older)
        assert len(texts(second, r'data-label="Account"')) == 2
        assert "Newer" in second.get_data(as_text=True)

    def test_found_by_username_in_any_form_that_prepares_to_it(self, app, administrator, user):
        browser = admin_browser(app, administrator)
        page = browser.get(
            "/administrator/accounts", query_string={"username": user.username.upper()}
        )
        listed = texts(page, r'<td data-label="Account"><a [^>]+><code>([^<]+)</code>')
        assert listed == [user.account["accountid"]]

    def test_not_found_says_so(self, app, administrator):
        browser = admin_browser(app, administrator)
        page = browser.get("/administrator/accounts", query_string={"username": "nobody-here"})
        assert "No account has that username." in page.get_data(as_text=True)

    @pytest.mark.parametrize("show", ["administrators", "deleted"])
    def test_the_lists_of_administrators_and_of_deletions(
        self, app, owner, administrator, create_user, call, show
    ):
        doomed = create_user()
        call("user/set-account-deleted", "patch", doomed.ask(doomed.own, password=doomed.password))
        page = admin_browser(app, administrator).get(
            "/administrator/accounts", query_string={"show": show}
        )
        listed = texts(page, r'<td data-label="Account"><a [^>]+><code>([^<]+)</code>')
        expected = {
            "administrators": [administrator.account["accountid"], owner.account["accountid"]],
            "deleted": [doomed.account["accountid"]],
        }
        assert listed == expected[show]


class TestAccount:
    def test_its_sessions_profiles_codes_and_audit_and_never_a_secret(
        self, app, owner, user, create_profile, create_code, call
    ):
        create_profile(user)
        code = create_code(user)
        do(admin_browser(app, owner), user, "reset-session-key")
        page = admin_browser(app, owner).get(page_of(user))
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Ada Lovelace" in text and "ada@example.com" in text
        assert len(re.findall(r"<li>made <time", text)) == 1  # the reset code, by its date
        assert "ended every session" in text  # the audit of the account
        assert code["secretCode"] not in text
        assert user.session["token"] not in text and user.session["csrfToken"] not in text

    def test_an_unknown_account_is_a_page_that_says_so(self, app, administrator):
        page = admin_browser(app, administrator).get(
            "/administrator/accounts/acct_0000000000000000"
        )
        assert page.status_code == 400
        assert "That account was not found." in page.get_data(as_text=True)

    def test_an_unknown_write_is_a_404_page(self, app, administrator, user):
        page = admin_browser(app, administrator).get(f"{page_of(user)}/become-root")
        assert (page.status_code, page.mimetype) == (404, "text/html")

    def test_hand_ownership_on_is_offered_to_the_owner_only(self, app, owner, administrator, user):
        for person, offered in ((owner, True), (administrator, False)):
            text = admin_browser(app, person).get(page_of(user)).get_data(as_text=True)
            assert ("Hand ownership on" in text) is offered


class TestWrites:
    def test_end_every_session(self, app, administrator, user, client):
        answered = do(admin_browser(app, administrator), user, "reset-session-key")
        assert answered.status_code == 303
        assert answered.headers["Location"] == f"{page_of(user)}?notice=reset-session-key"
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 401
        page = admin_browser(app, administrator).get(answered.headers["Location"])
        assert "Every session of the account has ended." in page.get_data(as_text=True)

    def test_a_reset_code_shown_once_that_sets_a_new_password(self, app, administrator, user, call):
        browser = admin_browser(app, administrator)
        answered = do(browser, user, "create-reset-code")
        assert answered.status_code == 200
        (code,) = texts(answered, r'<code class="secret">([^<]+)</code>')
        assert code not in browser.get(page_of(user)).get_data(as_text=True)
        body = {"username": user.username, "secret-code": code, "new-password": "a-new-passphrase"}
        assert call("user/reset-account-password", "patch", {"body": body}) is True
        assert sign_in(call, user.username, "a-new-passphrase")["object"] == "session"

    def test_make_and_remove_an_administrator(self, app, owner, user, call):
        browser = admin_browser(app, owner)
        assert do(browser, user, "set-account-administrator").status_code == 303
        assert call("user/account", "get", user.ask(user.own)).get("administrator") is True
        assert "Remove as administrator" in browser.get(page_of(user)).get_data(as_text=True)
        assert do(browser, user, "reset-account-administrator").status_code == 303
        assert "administrator" not in call("user/account", "get", user.ask(user.own))

    def test_hand_ownership_on(self, app, owner, user, call):
        assert do(admin_browser(app, owner), user, "set-owner-account").status_code == 303
        assert call("user/account", "get", user.ask(user.own)).get("owner") is True
        assert "owner" not in call("user/account", "get", owner.ask(owner.own))

    def test_schedule_a_deletion(self, app, administrator, user, call):
        answered = do(admin_browser(app, administrator), user, "set-account-deleted")
        assert answered.headers["Location"].endswith("?notice=set-account-deleted")
        assert "deletedAt" in call("user/account", "get", user.ask(user.own))

    def test_delete_now_only_with_the_username_typed(self, app, administrator, user, error_of):
        browser = admin_browser(app, administrator)
        refused = do(browser, user, "delete-account", username="not-" + user.username)
        assert refused.status_code == 400
        assert errors_of(refused) == ["Type the account's username, exactly, to delete it."]
        assert 'aria-invalid="true"' in refused.get_data(as_text=True)
        done = do(browser, user, "delete-account", username=user.username)
        assert done.headers["Location"] == "/administrator/accounts?notice=deleted"
        assert error_of("user/account", "get", user.ask(user.own)) == "invalid-accountid"


class TestRules:
    def test_the_rank_rule_refuses_an_administrator_acting_on_the_owner(
        self, app, owner, administrator, call
    ):
        answered = do(admin_browser(app, administrator), owner, "reset-session-key")
        assert answered.status_code == 403
        assert errors_of(answered) == [
            "You cannot do this to this account: no one acts on the owner's account, only "
            "the owner on an administrator's, and not on one scheduled for deletion."
        ]
        assert call("user/account", "get", owner.ask(owner.own))["sessionKeyNumber"] == 1

    def test_a_stale_verification_is_asked_again_then_the_write_confirmed(
        self, app, administrator, user, frozen_clock, call
    ):
        browser = admin_browser(app, administrator, remember="days")  # outlives the delay
        token = browser.csrf(page_of(user))
        frozen_clock.advance(
            seconds=app.extensions["dashboard"].config.session_verification_delay + 1
        )
        write = f"{page_of(user)}/reset-session-key"
        answered = browser.post(write, {"csrf-token": token})
        assert answered.status_code == 303
        back = answered.headers["Location"]
        assert back == "/account/verify?return-to=" + write.replace("/", "%2F")
        assert call("user/account", "get", user.ask(user.own))["sessionKeyNumber"] == 1
        fields = {
            "csrf-token": token,
            "username": administrator.username,
            "password": administrator.password,
            "return-to": write,
        }
        verified = browser.post("/account/verify", fields)
        assert verified.headers["Location"] == write
        confirming = browser.get(write)
        assert "End every session: are you sure?" in confirming.get_data(as_text=True)
        assert browser.post(write, {"csrf-token": token}).status_code == 303
        assert call("user/account", "get", user.ask(user.own))["sessionKeyNumber"] == 2

    def test_a_write_without_the_csrf_token_is_refused(self, app, administrator, user, call):
        browser = admin_browser(app, administrator)
        answered = browser.post(f"{page_of(user)}/reset-session-key", {})
        assert answered.status_code == 403
        assert call("user/account", "get", user.ask(user.own))["sessionKeyNumber"] == 1

    def test_a_write_from_another_sites_page_is_refused(self, app, administrator, user, call):
        browser = admin_browser(app, administrator)
        token = browser.csrf(page_of(user))
        answered = browser.post(
            f"{page_of(user)}/reset-session-key",
            {"csrf-token": token},
            headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"},
        )
        assert answered.status_code == 403
        assert call("user/account", "get", user.ask(user.own))["sessionKeyNumber"] == 1

    def test_an_unknown_path_is_a_404_page(self, app, administrator):
        page = admin_browser(app, administrator).get("/administrator/nothing-here")
        assert (page.status_code, page.mimetype) == (404, "text/html")


class TestSessionsAndAudit:
    def test_every_session_of_the_site_with_its_account(self, app, owner, administrator, user):
        page = admin_browser(app, administrator).get("/administrator/sessions")
        accounts = texts(page, r'<td data-label="Account"><a [^>]+><code>([^<]+)</code>')
        assert user.account["accountid"] in accounts and owner.account["accountid"] in accounts

    def test_active_only(self, app, administrator, user, call):
        call("user/set-session-ended", "patch", user.ask({"sessionid": user.session["sessionid"]}))
        browser = admin_browser(app, administrator)
        every = texts(browser.get("/administrator/sessions"), r'data-label="State">(\w+)')
        active = texts(
            browser.get("/administrator/sessions", query_string={"active": "true"}),
            r'data-label="State">(\w+)',
        )
        assert "ended" in every and set(active) == {"active"}

    def test_the_audit_in_words_with_the_operators_commands(self, app, owner, administrator, user):
        do(admin_browser(app, administrator), user, "reset-session-key")
        runner = app.test_cli_runner()
        assert (
            runner.invoke(
                args=["dashboard", "set-administrator", user.account["accountid"]]
            ).exit_code
            == 0
        )
        page = admin_browser(app, owner).get("/administrator/audit")
        did = texts(page, r'<td data-label="Did">([^<]+)</td>')
        who = texts(page, r'<td data-label="Who">(.*?)</td>')
        assert did == ["made an administrator", "ended every session"]
        assert who[0] == "the operator (command line)"
        assert administrator.account["accountid"] in who[1]
