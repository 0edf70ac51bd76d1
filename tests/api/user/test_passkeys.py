"""GET /api/user/passkeys"""

from __future__ import annotations

ROUTE = "user/passkeys"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "get", user.ask(other.own)) == "invalid-account"

    class TestInvalidOffset:
        def test_not_a_whole_number(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({**user.own, "offset": "x"})) == "invalid-offset"

    class TestInvalidLimit:
        def test_not_a_whole_number(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({**user.own, "limit": "-1"})) == "invalid-limit"


class TestReceives:
    def test_optional_querystring_offset_limit_and_all(self, call, user, add_passkey, frozen_clock):
        held = add_passkey(user, name="First")
        for name in ("Second", "Third"):
            frozen_clock.advance(seconds=1)
            add_passkey(user, held, name=name)
        names = [
            p["name"]
            for p in call(ROUTE, "get", user.ask({**user.own, "offset": "1", "limit": "1"}))
        ]
        assert names == ["Second"]
        every = call(ROUTE, "get", user.ask({**user.own, "all": "true"}))
        assert [p["name"] for p in every] == ["Third", "Second", "First"]


class TestReturns:
    def test_its_passkeys_only(self, call, create_user, add_passkey):
        user, other = create_user(), create_user()
        add_passkey(user, name="Mine")
        add_passkey(other, name="Theirs")
        listed = call(ROUTE, "get", user.ask(user.own))
        assert [(p["object"], p["name"]) for p in listed] == [("passkey", "Mine")]

    def test_none_yet(self, call, user):
        assert call(ROUTE, "get", user.ask(user.own)) == []


class TestHttp:
    def test_bearer(self, client, user, add_passkey):
        add_passkey(user, name="Laptop")
        response = client.get(
            f"/api/{ROUTE}?accountid={user.account['accountid']}", headers=user.bearer
        )
        assert (response.status_code, [p["name"] for p in response.json]) == (200, ["Laptop"])
