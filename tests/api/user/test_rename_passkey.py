"""PATCH /api/user/rename-passkey"""

from __future__ import annotations

ROUTE = "user/rename-passkey"


def rename(user, passkey, **body):
    return user.ask({"passkeyid": passkey["passkeyid"]}, **body)


class TestExceptions:
    class TestInvalidPasskeyid:
        def test_missing_querystring_passkeyid(self, error_of, user):
            assert error_of(ROUTE, "patch", user.ask(name="Phone")) == "invalid-passkeyid"

        def test_unknown_querystring_passkeyid(self, error_of, user):
            req = user.ask({"passkeyid": "pkey_0000000000000000"}, name="Phone")
            assert error_of(ROUTE, "patch", req) == "invalid-passkeyid"

    class TestInvalidAccount:
        def test_another_accounts_passkey(self, error_of, create_user, add_passkey):
            user, other = create_user(), create_user()
            theirs = add_passkey(other).passkey
            assert error_of(ROUTE, "patch", rename(user, theirs, name="Mine")) == "invalid-account"

    class TestInvalidName:
        def test_missing_posted_name(self, error_of, user, add_passkey):
            passkey = add_passkey(user).passkey
            assert error_of(ROUTE, "patch", rename(user, passkey)) == "invalid-name"

        def test_posted_name_over_50_characters(self, error_of, user, add_passkey):
            passkey = add_passkey(user).passkey
            assert error_of(ROUTE, "patch", rename(user, passkey, name="n" * 51)) == "invalid-name"

        def test_posted_name_with_a_control_character(self, error_of, user, add_passkey):
            passkey = add_passkey(user).passkey
            assert error_of(ROUTE, "patch", rename(user, passkey, name="a\x00b")) == "invalid-name"


class TestReceives:
    def test_required_posted_name(self, call, user, add_passkey):
        passkey = add_passkey(user).passkey
        assert call(ROUTE, "patch", rename(user, passkey, name="Phone"))["name"] == "Phone"


class TestReturns:
    def test_the_passkey_renamed_and_kept_so(self, call, user, add_passkey, frozen_clock):
        passkey = add_passkey(user).passkey
        frozen_clock.advance(seconds=5)
        renamed = call(ROUTE, "patch", rename(user, passkey, name="Phone"))
        assert renamed["updatedAt"] > passkey["updatedAt"]
        assert call("user/passkeys", "get", user.ask(user.own)) == [renamed]


class TestHttp:
    def test_bearer(self, client, user, add_passkey):
        passkey = add_passkey(user).passkey
        response = client.patch(
            f"/api/{ROUTE}?passkeyid={passkey['passkeyid']}",
            data={"name": "Phone"},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["name"]) == (200, "Phone")
