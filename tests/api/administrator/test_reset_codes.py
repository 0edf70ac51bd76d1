"""GET /api/administrator/reset-codes"""

from __future__ import annotations

import pytest

from tests.conftest import call_route

ROUTE = "administrator/reset-codes"


@pytest.fixture
def made(frozen_clock, call, create_user, create_profile, create_code):
    """Two users' rows of this kind, a second apart, oldest first: (rows, first user)."""
    rows, users = [], []
    for _ in range(2):
        frozen_clock.advance(seconds=1)
        user = create_user()
        users.append(user)
        if "reset_codes" == "sessions":
            rows.append(user.session)
        elif "reset_codes" == "profiles":
            rows.append(create_profile(user))
        else:
            rows.append(create_code(user))
    return rows, users[0]


def ids(listed):
    return [row["codeid"] for row in listed]


class TestExceptions:
    class TestInvalidAccountid:
        def test_unknown_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "get", req) == "invalid-accountid"

    class TestInvalidPaging:
        def test_invalid_querystring_offset(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask({"offset": "-1"})) == "invalid-offset"

        def test_invalid_querystring_limit(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask({"limit": "x"})) == "invalid-limit"


class TestReceives:
    def test_optional_querystring_accountid(self, call, administrator, made):
        rows, first = made
        listed = call(ROUTE, "get", administrator.ask(first.own))
        assert ids(listed) == [rows[0]["codeid"]]

    def test_optional_querystring_offset_and_limit(self, call, administrator, made):
        rows, _ = made
        listed = call(ROUTE, "get", administrator.ask({"offset": "0", "limit": "1"}))
        assert len(listed) == 1

    def test_optional_querystring_all(self, make_app, administrator, made):
        listed = call_route(make_app(page_size=1), ROUTE, "get", administrator.ask({"all": "true"}))
        assert len(listed) > 1


class TestReturns:
    def test_array_newest_first_of_every_account(self, call, administrator, made):
        rows, _ = made
        listed = call(ROUTE, "get", administrator.ask())
        assert ids(listed)[: len(rows)] == ids(rows[::-1])
        assert not any("token" in row or "secretCode" in row for row in listed)


class TestHttp:
    def test_bearer(self, client, administrator, made):
        rows, first = made
        response = client.get(
            f"/api/administrator/reset-codes?accountid={first.account['accountid']}",
            headers=administrator.bearer,
        )
        assert (response.status_code, ids(response.json)) == (200, [rows[0]["codeid"]])
