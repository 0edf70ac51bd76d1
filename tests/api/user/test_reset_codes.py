"""GET /api/user/reset-codes"""

from __future__ import annotations

import pytest

from tests.conftest import call_route

ROUTE = "user/reset-codes"


@pytest.fixture
def three(frozen_clock, user, create_code):
    """Three codes a second apart, oldest first."""
    made = []
    for _ in range(3):
        made.append(create_code(user))
        frozen_clock.advance(seconds=1)
    return made


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            req = user.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "get", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "get", user.ask(other.own)) == "invalid-account"

    class TestInvalidPaging:
        def test_invalid_querystring_offset(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({**user.own, "offset": "x"})) == (
                "invalid-offset"
            )

        def test_invalid_querystring_limit(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({**user.own, "limit": "0"})) == "invalid-limit"


class TestReceives:
    def test_optional_querystring_offset_and_limit(self, call, user, three):
        listed = call(ROUTE, "get", user.ask({**user.own, "offset": "2", "limit": "5"}))
        assert [c["codeid"] for c in listed] == [three[0]["codeid"]]

    def test_optional_querystring_all(self, make_app, user, three):
        app = make_app(page_size=1)
        listed = call_route(app, ROUTE, "get", user.ask({**user.own, "all": "true"}))
        assert len(listed) == 3


class TestReturns:
    def test_array_newest_first_never_the_codes(self, call, user, three):
        listed = call(ROUTE, "get", user.ask(user.own))
        assert [c["codeid"] for c in listed] == [c["codeid"] for c in three[::-1]]
        assert not any(code["secretCode"] in str(listed) for code in three)


class TestHttp:
    def test_bearer(self, client, user, three):
        response = client.get(
            f"/api/user/reset-codes?accountid={user.account['accountid']}", headers=user.bearer
        )
        assert (response.status_code, len(response.json)) == (200, 3)
