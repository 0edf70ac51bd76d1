"""Usernames and passwords prepared by RFC 8265 (PRECIS): look-alikes are one account or
none, and accounts made before preparation still sign in, then move to it."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from dashboard import credentials, schema, security, storage
from tests.conftest import schema_back_to

BASE = "lovelace-ada"
PASSWORD = "correct-horse-battery"
LEGACY = json.loads((Path(__file__).parent / "data" / "version_2_accounts.json").read_text())

SAME = "the same account"
REFUSED = "refused"
ANOTHER = "another account"

LOOK_ALIKES = [
    ("Lovelace-Ada", SAME),
    ("LOVELACE-ADA", SAME),
    ("\uff4c\uff4f\uff56\uff45\uff4c\uff41\uff43\uff45-ada", SAME),  # full-width letters
    (" lovelace-ada", REFUSED),
    ("lovelace-ada ", REFUSED),
    ("lovelace-ada\n", REFUSED),
    ("lovelace\u200b-ada", REFUSED),  # zero-width space
    ("lovelace-ada\u200d", REFUSED),  # zero-width joiner
    ("\u202elovelace-ada", REFUSED),  # right-to-left override
    ("lovelace\u2066-ada", REFUSED),  # left-to-right isolate
    ("lovel\u0430ce-ada", REFUSED),  # a Cyrillic а among Latin letters
    ("lovel\u03b1ce-ada", REFUSED),  # a Greek α among Latin letters
    ("love\x00lace-ada", REFUSED),
    ("      ", REFUSED),
    ("\u200b" * 8, REFUSED),
    ("\u0301" * 8, REFUSED),  # combining marks alone
    ("\u0301lovelace", REFUSED),  # starting with a combining mark
    ("\u043b\u0430\u0432\u043b\u0435\u0439\u0441", ANOTHER),  # all Cyrillic: one script
    ("\u3089\u3076\u308c\u30fc\u3059\u3055\u3093", ANOTHER),  # Hiragana with a prolonged mark
    ("lovelace\u3055\u3093", ANOTHER),  # Latin with Japanese: allowed together
]


def register(client, username, password=PASSWORD):
    return client.post(
        "/api/user/create-account", json={"username": username, "password": password}
    )


def sign_in(client, username, password=PASSWORD):
    return client.post(
        "/api/user/create-session", json={"username": username, "password": password}
    )


def change(client, username, route, **body):
    """PATCH user/<route> of ``username``'s account, signed in with PASSWORD."""
    session = sign_in(client, username).json
    return client.patch(
        f"/api/user/{route}?accountid={session['accountid']}",
        json={"password": PASSWORD, **body},
        headers={"Authorization": f"Bearer {session['sessionid']}.{session['token']}"},
    )


class TestUsernames:
    @pytest.mark.parametrize(("form", "expected"), LOOK_ALIKES)
    def test_a_look_alike_is_the_same_account_or_refused(self, client, form, expected):
        account = register(client, BASE).json
        registered = register(client, form)
        signed_in = sign_in(client, form)
        if expected == SAME:
            assert (registered.status_code, registered.json["message"]) == (
                409,
                "duplicate-username",
            )
            assert signed_in.status_code == 200
            assert signed_in.json["accountid"] == account["accountid"]
        elif expected == REFUSED:
            assert (registered.status_code, registered.json["message"]) == (400, "invalid-username")
            assert (signed_in.status_code, signed_in.json["message"]) == (400, "invalid-password")
        else:
            assert registered.status_code == 200
            assert registered.json["accountid"] != account["accountid"]

    def test_nfd_and_nfc_forms_are_one_account(self, client):
        nfc = unicodedata.normalize("NFC", "lovélace")
        nfd = unicodedata.normalize("NFD", "lovélace")
        assert nfc != nfd
        assert register(client, nfd).status_code == 200
        assert register(client, nfc).status_code == 409
        assert sign_in(client, nfc).status_code == 200

    def test_length_is_counted_after_preparation(self, client):
        # six code points in NFD, three characters once composed
        too_short = unicodedata.normalize("NFD", "ééé") * 1
        assert len(too_short) == 6
        response = register(client, too_short)
        assert (response.status_code, response.json["message"]) == (400, "invalid-username-length")
        assert register(client, "\uff4c\uff4f\uff56\uff45\uff4c\uff41").status_code == 200

    def test_a_username_far_over_the_longest_is_not_prepared(self, client, monkeypatch):
        prepared = []
        monkeypatch.setattr(credentials, "_profile", lambda name: prepared.append(name))
        response = register(client, "x" * 5000)
        assert (response.status_code, response.json["message"]) == (400, "invalid-username-length")
        assert prepared == []

    def test_stored_hash_is_of_the_prepared_form(self, app, client):
        account = register(client, "LoveLace-ADA").json
        with app.app_context():
            row = storage.Account.get_by_id(account["accountid"])
            key = app.extensions["dashboard"].config.encryption_key
        assert row.username_hash == security.username_hash("lovelace-ada", key)
        assert row.password_prepared is True

    def test_new_username_is_prepared_and_refused_forms_are_named(self, client):
        register(client, BASE)
        refused = change(client, BASE, "set-account-username", **{"new-username": "ada\u200blove"})
        assert (refused.status_code, refused.json["message"]) == (400, "invalid-new-username")
        changed = change(client, BASE, "set-account-username", **{"new-username": "Countess-Ada"})
        assert changed.status_code == 200
        assert sign_in(client, "countess-ada").status_code == 200

    def test_look_alikes_share_one_failure_budget(self, make_app):
        client = make_app(
            ratelimit_enabled=True, create_session_username_rate_limit="2 per hour"
        ).test_client()
        register(client, BASE)
        for form in ("Lovelace-Ada", "LOVELACE-ADA"):
            assert sign_in(client, form, "wrong-password").status_code == 400
        assert (
            sign_in(client, "\uff4c\uff4f\uff56\uff45\uff4c\uff41\uff43\uff45-ada").status_code
            == 429
        )


class TestPasswords:
    def test_nfc_and_nfd_forms_are_one_password(self, client):
        nfc = unicodedata.normalize("NFC", "pässwörter-1")
        assert register(client, BASE, nfc).status_code == 200
        assert sign_in(client, BASE, unicodedata.normalize("NFD", nfc)).status_code == 200

    def test_a_no_break_space_is_a_space(self, client):
        assert register(client, BASE, "correct horse battery").status_code == 200
        assert sign_in(client, BASE, "correct\u00a0horse\u00a0battery").status_code == 200

    @pytest.mark.parametrize("password", ["before\x00after-nul", "zero\u200bwidth-pass"])
    def test_refused_characters(self, client, password):
        response = register(client, BASE, password)
        assert (response.status_code, response.json["message"]) == (400, "invalid-password")

    def test_length_is_counted_after_preparation(self, client):
        seven = unicodedata.normalize("NFD", "pässwrt")  # eight code points, seven characters
        assert len(seven) == 8
        response = register(client, BASE, seven)
        assert (response.status_code, response.json["message"]) == (400, "invalid-password-length")

    def test_new_password_is_prepared(self, client):
        register(client, BASE)
        refused = change(client, BASE, "set-account-password", **{"new-password": "new\x00pass"})
        assert (refused.status_code, refused.json["message"]) == (400, "invalid-new-password")
        nfd = unicodedata.normalize("NFD", "neues-päss-wört")
        changed = change(client, BASE, "set-account-password", **{"new-password": nfd})
        assert changed.status_code == 200
        assert sign_in(client, BASE, unicodedata.normalize("NFC", nfd)).status_code == 200


class TestAccountsFromBeforePreparation:
    """A database written by schema version 2 (tests/data/make_version_2_accounts.py)."""

    @pytest.fixture
    def migrated(self, app, make_app):
        schema_back_to(app, 2)
        with app.app_context():
            database = app.extensions["dashboard"].database
            for row in LEGACY["rows"]:
                names = ", ".join(row)
                marks = ", ".join([database.param] * len(row))
                database.execute_sql(
                    f"INSERT INTO account ({names}) VALUES ({marks})", list(row.values())
                )
        upgraded = make_app()  # migrates version 2 to the current one
        with upgraded.app_context():
            version = schema._version(upgraded.extensions["dashboard"].database)
        assert version == schema.VERSION
        return upgraded

    def row(self, app, username):
        index = [name for name, _ in LEGACY["accounts"]].index(username)
        with app.app_context():
            return storage.Account.get_by_id(LEGACY["rows"][index]["accountid"])

    @pytest.mark.parametrize(("username", "password"), LEGACY["accounts"])
    def test_every_account_signs_in_as_it_always_did(self, migrated, username, password):
        client = migrated.test_client()
        assert sign_in(client, username, password).status_code == 200
        assert sign_in(client, username, password).status_code == 200  # and after moving

    def test_moves_to_the_prepared_forms_at_sign_in(self, migrated):
        client = migrated.test_client()
        fullwidth, fullwidth_password = LEGACY["accounts"][5]
        assert sign_in(client, "FullWidth", fullwidth_password).status_code == 400  # not yet
        assert sign_in(client, fullwidth, fullwidth_password).status_code == 200
        assert sign_in(client, "FullWidth", fullwidth_password).status_code == 200
        assert self.row(migrated, fullwidth).password_prepared is True

    def test_an_nfd_password_works_in_nfc_once_moved(self, migrated):
        client = migrated.test_client()
        username, nfd = LEGACY["accounts"][4]
        nfc = unicodedata.normalize("NFC", nfd)
        assert sign_in(client, username, nfc).status_code == 400  # hashed as typed, in NFD
        assert sign_in(client, username, nfd).status_code == 200
        assert sign_in(client, username, nfc).status_code == 200

    def test_forms_the_preparation_refuses_stay_as_they_were(self, migrated):
        client = migrated.test_client()
        spaced, spaced_password = LEGACY["accounts"][2]
        nul, nul_password = LEGACY["accounts"][3]
        assert sign_in(client, spaced, spaced_password).status_code == 200
        assert sign_in(client, spaced.lower(), spaced_password).status_code == 400
        assert sign_in(client, nul, nul_password).status_code == 200
        assert self.row(migrated, nul).password_prepared is False

    def test_twins_made_before_both_keep_signing_in(self, migrated):
        client = migrated.test_client()
        (upper, upper_password), (lower, lower_password) = LEGACY["accounts"][:2]
        first = sign_in(client, upper, upper_password)
        second = sign_in(client, lower, lower_password)
        assert first.status_code == second.status_code == 200
        assert first.json["accountid"] != second.json["accountid"]
        assert sign_in(client, upper, upper_password).status_code == 200  # still its own
        assert register(client, "ADA-LOVELACE").status_code == 409  # and no third one

    def test_a_username_change_moves_both_forms(self, migrated):
        client = migrated.test_client()
        username, nfd = LEGACY["accounts"][4]
        session = sign_in(client, username, nfd).json
        bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
        changed = client.patch(
            f"/api/user/set-account-username?accountid={session['accountid']}",
            json={"new-username": "Renamed-User", "password": nfd},
            headers=bearer,
        )
        assert changed.status_code == 200
        assert sign_in(client, "renamed-user", unicodedata.normalize("NFC", nfd)).status_code == 200
