"""GET /api/user/profiles"""

from __future__ import annotations

import pytest

ROUTE = "user/profiles"


@pytest.fixture
def three(frozen_clock, user, create_profile):
    """Three profiles a second apart, oldest first."""
    made = []
    for name in ("First", "Second", "Third"):
        made.append(create_profile(user, display_name=name))
        frozen_clock.advance(seconds=1)
    return made


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({"accountid": "x"})) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "get", user.ask(other.own)) == "invalid-account"

    class TestInvalidPaging:
        def test_invalid_querystring_offset(self, error_of, user):
            req = user.ask({**user.own, "offset": "-1"})
            assert error_of(ROUTE, "get", req) == "invalid-offset"

        def test_invalid_querystring_limit(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({**user.own, "limit": "0"})) == "invalid-limit"


class TestReceives:
    def test_optional_querystring_offset_and_limit(self, call, user, three):
        listed = call(ROUTE, "get", user.ask({**user.own, "offset": "1", "limit": "1"}))
        assert [p["profileid"] for p in listed] == [three[1]["profileid"]]

    def test_optional_querystring_all(self, call, make_app, user, three):
        from tests.conftest import call_route

        listed = call_route(
            make_app(page_size=1), ROUTE, "get", user.ask({**user.own, "all": "true"})
        )
        assert len(listed) == 3


class TestReturns:
    def test_array_newest_first(self, call, user, three):
        listed = call(ROUTE, "get", user.ask(user.own))
        assert [p["profileid"] for p in listed] == [p["profileid"] for p in three[::-1]]
        assert all(p["object"] == "profile" for p in listed)


class TestHttp:
    def test_bearer(self, client, user, three):
        response = client.get(
            f"/api/user/profiles?accountid={user.account['accountid']}", headers=user.bearer
        )
        assert [p["displayName"] for p in response.json] == ["Third", "Second", "First"]
