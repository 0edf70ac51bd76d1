"""PATCH /api/user/set-account-profile"""

from __future__ import annotations

ROUTE = "user/set-account-profile"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            req = user.ask(profileid="prof_0000000000000000")
            assert error_of(ROUTE, "patch", req) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            req = user.ask({"accountid": "x"}, profileid="prof_0000000000000000")
            assert error_of(ROUTE, "patch", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user, create_profile):
            user, other = create_user(), create_user()
            profile = create_profile(other)
            req = user.ask(other.own, profileid=profile["profileid"])
            assert error_of(ROUTE, "patch", req) == "invalid-account"

    class TestInvalidProfileid:
        def test_missing_posted_profileid(self, error_of, user):
            assert error_of(ROUTE, "patch", user.ask(user.own)) == "invalid-profileid"

        def test_unknown_posted_profileid(self, error_of, user):
            req = user.ask(user.own, profileid="prof_0000000000000000")
            assert error_of(ROUTE, "patch", req) == "invalid-profileid"

        def test_malformed_posted_profileid(self, error_of, user):
            assert error_of(ROUTE, "patch", user.ask(user.own, profileid="a\x00")) == (
                "invalid-profileid"
            )

        def test_another_accounts_posted_profileid(self, error_of, create_user, create_profile):
            user, other = create_user(), create_user()
            profile = create_profile(other)
            req = user.ask(user.own, profileid=profile["profileid"])
            assert error_of(ROUTE, "patch", req) == "invalid-profileid"


class TestReceives:
    def test_required_posted_profileid(self, call, user, create_profile):
        create_profile(user)
        second = create_profile(user)
        account = call(ROUTE, "patch", user.ask(user.own, profileid=second["profileid"]))
        assert account["profileid"] == second["profileid"]


class TestReturns:
    def test_object(self, call, user, create_profile):
        profile = create_profile(user)
        account = call(ROUTE, "patch", user.ask(user.own, profileid=profile["profileid"]))
        assert account["object"] == "account"
        assert account["accountid"] == user.account["accountid"]


class TestHttp:
    def test_json_patch_then_the_old_default_can_go(self, client, user, create_profile):
        first = create_profile(user)
        second = create_profile(user)
        response = client.patch(
            f"/api/user/set-account-profile?accountid={user.account['accountid']}",
            json={"profileid": second["profileid"]},
            headers=user.bearer,
        )
        assert (response.status_code, response.json["profileid"]) == (200, second["profileid"])
        deleted = client.delete(
            f"/api/user/delete-profile?profileid={first['profileid']}", headers=user.bearer
        )
        assert deleted.status_code == 200
