"""/account/reset-codes and /account/profiles: what an account holds."""

from __future__ import annotations

import re

from dashboard.config import PROFILE_FIELDS
from dashboard.pages import records
from tests.pages.conftest import errors_of

EMPTY_PROFILE = dict.fromkeys(records.PROFILE_LABELS, "")


def test_every_profile_field_has_a_label():
    assert set(records.PROFILE_LABELS) == set(PROFILE_FIELDS)


class TestResetCodes:
    def test_a_code_made_is_shown_once_then_listed_without_it(self, browser, user, call):
        browser.sign_in(user.username, user.password)
        made = browser.post(
            "/account/reset-codes", {"csrf-token": browser.csrf(), "password": user.password}
        )
        assert made.status_code == 200
        code = re.search(r'<code class="secret">([0-9a-f]{40})</code>', made.get_data(as_text=True))
        assert code, "the new code is shown"
        listed = browser.get("/account/reset-codes").get_data(as_text=True)
        assert code.group(1) not in listed
        assert listed.count('name="codeid"') == 1
        reset = call(
            "user/reset-account-password",
            "patch",
            {
                "body": {
                    "username": user.username,
                    "secret-code": code.group(1),
                    "new-password": "a-new-passphrase",
                }
            },
        )
        assert reset is True

    def test_a_wrong_password_makes_no_code(self, browser, user):
        browser.sign_in(user.username, user.password)
        made = browser.post("/account/reset-codes", {"csrf-token": browser.csrf(), "password": "x"})
        assert made.status_code == 400
        assert errors_of(made) == ["The password is not right."]
        assert 'name="codeid"' not in browser.get("/account/reset-codes").get_data(as_text=True)

    def test_a_code_deleted_is_gone(self, browser, user, create_code):
        made = create_code(user)
        browser.sign_in(user.username, user.password)
        csrf = browser.csrf("/account/reset-codes")
        gone = browser.post("/account/reset-codes", {"csrf-token": csrf, "codeid": made["codeid"]})
        assert (gone.status_code, gone.headers["Location"]) == (303, "/account/reset-codes")
        assert made["codeid"] not in browser.get("/account/reset-codes").get_data(as_text=True)

    def test_another_accounts_code_is_not_deleted(self, browser, user, create_user, create_code):
        stranger = create_user()
        theirs = create_code(stranger)
        browser.sign_in(user.username, user.password)
        csrf = browser.csrf("/account/reset-codes")
        refused = browser.post(
            "/account/reset-codes", {"csrf-token": csrf, "codeid": theirs["codeid"]}
        )
        assert refused.status_code == 403


class TestProfiles:
    def add(self, browser, **fields: str):
        form = {"csrf-token": browser.csrf("/account/profiles"), "action": "create"}
        return browser.post("/account/profiles", {**form, **EMPTY_PROFILE, **fields})

    def test_the_first_profile_is_the_default(self, browser, user):
        browser.sign_in(user.username, user.password)
        added = self.add(
            browser, **{"full-name": "Ada Lovelace", "contact-email": "ada@example.com"}
        )
        assert (added.status_code, added.headers["Location"]) == (303, "/account/profiles")
        page = browser.get("/account/profiles").get_data(as_text=True)
        assert "Ada Lovelace" in page and "ada@example.com" in page
        assert '<span class="tag">default</span>' in page

    def test_a_bad_email_is_said_beside_it_and_the_rest_kept(self, browser, user):
        browser.sign_in(user.username, user.password)
        added = self.add(browser, **{"full-name": "Ada Lovelace", "contact-email": "not-an-email"})
        assert added.status_code == 400
        assert errors_of(added) == ["Enter an email address, like name@example.com."]
        html = added.get_data(as_text=True)
        assert 'id="contact-email-error"' in html and 'value="Ada Lovelace"' in html

    def test_edited_choose_the_default_and_delete(self, browser, user, create_profile):
        first = create_profile(user, **{"full_name": "First Profile"})
        second = create_profile(user, **{"full_name": "Second Profile"})
        browser.sign_in(user.username, user.password)
        edit = f"/account/profiles/{second['profileid']}"
        assert 'value="Second Profile"' in browser.get(edit).get_data(as_text=True)
        kept = {"contact-email": "ada@example.com"}  # as the form shows it, filled
        saved = browser.post(
            edit,
            {"csrf-token": browser.csrf(edit), **EMPTY_PROFILE, **kept, "full-name": "Renamed"},
        )
        assert saved.status_code == 303
        csrf = browser.csrf("/account/profiles")
        chose = browser.post(
            "/account/profiles",
            {"csrf-token": csrf, "action": "default", "profileid": second["profileid"]},
        )
        assert chose.status_code == 303
        gone = browser.post(
            "/account/profiles",
            {"csrf-token": csrf, "action": "delete", "profileid": first["profileid"]},
        )
        assert gone.status_code == 303
        page = browser.get("/account/profiles").get_data(as_text=True)
        assert "Renamed" in page and "First Profile" not in page

    def test_another_accounts_profile_is_not_shown(
        self, browser, user, create_user, create_profile
    ):
        stranger = create_user()
        theirs = create_profile(stranger, **{"full_name": "Not Yours"})
        browser.sign_in(user.username, user.password)
        page = browser.get(f"/account/profiles/{theirs['profileid']}")
        assert page.status_code == 403
        assert "Not Yours" not in page.get_data(as_text=True)


def test_ending_the_other_sessions_keeps_this_one(browser, user, make_browser):
    other = make_browser()
    other.sign_in(user.username, user.password)
    browser.sign_in(user.username, user.password)
    answered = browser.post("/account/sessions", {"csrf-token": browser.csrf(), "end": "others"})
    assert (answered.status_code, answered.headers["Location"]) == (303, "/account/sessions")
    assert other.get("/account/").status_code == 303
    assert browser.get("/account/").status_code == 200
    page = browser.get("/account/sessions").get_data(as_text=True)
    assert page.count(">End</button>") == 1  # this browser's own
