"""POST /api/user/create-passkey"""

from __future__ import annotations

from tests.authenticator import Authenticator

ROUTE = "user/create-passkey"


def options_for(call, user):
    return call(
        "user/create-passkey-options",
        "post",
        user.ask(user.own, username=user.username, password=user.password),
    )


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "post", user.ask(credential="{}")) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert (
                error_of(ROUTE, "post", user.ask(other.own, credential="{}")) == "invalid-account"
            )

    class TestInvalidCredential:
        def test_missing_posted_credential(self, error_of, user):
            assert error_of(ROUTE, "post", user.ask(user.own)) == "invalid-credential"

        def test_not_json(self, error_of, user):
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential="{")) == "invalid-credential"
            )

        def test_a_challenge_never_given(self, error_of, user):
            made = Authenticator().create(
                {"rp": {"id": "localhost"}, "user": {"id": "YWJj"}, "challenge": "A" * 43}
            )
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=made)) == "invalid-credential"
            )

        def test_a_challenge_used_once_already(self, call, error_of, user):
            options = options_for(call, user)
            authenticator = Authenticator()
            call(ROUTE, "post", user.ask(user.own, credential=authenticator.create(options)))
            again = authenticator.create(options)
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=again))
                == "invalid-credential"
            )

        def test_a_challenge_given_to_another_account(self, call, error_of, create_user):
            user, other = create_user(), create_user()
            made = Authenticator().create(options_for(call, other))
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=made)) == "invalid-credential"
            )

        def test_a_challenge_five_minutes_old(self, call, error_of, user, frozen_clock):
            made = Authenticator().create(options_for(call, user))
            frozen_clock.advance(seconds=300)
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=made)) == "invalid-credential"
            )

        def test_a_challenge_answered_wrongly_once(self, call, error_of, user):
            options = options_for(call, user)
            wrong = Authenticator().create(options, origin="https://evil.example")
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=wrong))
                == "invalid-credential"
            )
            right = Authenticator().create(options)  # too late: the challenge is used up
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=right))
                == "invalid-credential"
            )

        def test_another_origin(self, call, error_of, user):
            made = Authenticator().create(options_for(call, user), origin="https://evil.example")
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=made)) == "invalid-credential"
            )

        def test_without_user_verification(self, call, error_of, user):
            made = Authenticator(verifies_user=False).create(options_for(call, user))
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=made)) == "invalid-credential"
            )

    class TestInvalidName:
        def test_posted_name_over_50_characters(self, call, error_of, user):
            made = Authenticator().create(options_for(call, user))
            req = user.ask(user.own, credential=made, name="n" * 51)
            assert error_of(ROUTE, "post", req) == "invalid-name"

        def test_posted_name_of_spaces(self, call, error_of, user):
            made = Authenticator().create(options_for(call, user))
            assert (
                error_of(ROUTE, "post", user.ask(user.own, credential=made, name="  "))
                == "invalid-name"
            )

    class TestDuplicatePasskey:
        def test_the_site_has_this_credential(self, call, error_of, create_user):
            user, other = create_user(), create_user()
            authenticator = Authenticator()
            first = authenticator.create(options_for(call, user))
            call(ROUTE, "post", user.ask(user.own, credential=first))
            again = authenticator.create(options_for(call, other), same_id_as=0)
            req = other.ask(other.own, credential=again)
            assert error_of(ROUTE, "post", req) == "duplicate-passkey"


class TestReceives:
    def test_required_posted_credential(self, call, user):
        made = Authenticator().create(options_for(call, user))
        assert call(ROUTE, "post", user.ask(user.own, credential=made))["object"] == "passkey"

    def test_optional_posted_name(self, call, user):
        made = Authenticator().create(options_for(call, user))
        named = call(ROUTE, "post", user.ask(user.own, credential=made, name=" Laptop "))
        assert named["name"] == "Laptop"


class TestReturns:
    def test_passkey_named_passkey_and_never_its_key(self, call, user):
        made = Authenticator().create(options_for(call, user))
        passkey = call(ROUTE, "post", user.ask(user.own, credential=made))
        assert passkey["name"] == "Passkey"
        assert passkey["accountid"] == user.account["accountid"]
        assert set(passkey) == {
            "passkeyid",
            "object",
            "appid",
            "accountid",
            "name",
            "createdAt",
            "updatedAt",
        }

    def test_the_account_lists_passkey(self, call, user):
        made = Authenticator().create(options_for(call, user))
        call(ROUTE, "post", user.ask(user.own, credential=made))
        account = call("user/account", "get", user.ask(user.own))
        assert account["secondFactors"] == ["passkey"]
