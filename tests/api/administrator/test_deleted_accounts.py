"""GET /api/administrator/deleted-accounts"""

from __future__ import annotations

import pytest

from tests.conftest import call_route, promoted

ROUTE = "administrator/deleted-accounts"


@pytest.fixture
def site(app, frozen_clock, call, owner, create_user):
    """The owner, an administrator, a user, and a user scheduled for deletion, a second apart."""
    frozen_clock.advance(seconds=1)
    administrator = promoted(app, create_user())
    frozen_clock.advance(seconds=1)
    user = create_user()
    frozen_clock.advance(seconds=1)
    deleted = create_user()
    call("user/set-account-deleted", "patch", deleted.ask(deleted.own, password=deleted.password))
    return {"owner": owner, "administrator": administrator, "user": user, "deleted": deleted}


EXPECTED = {
    "accounts": ["deleted", "user", "administrator", "owner"],
    "administrator-accounts": ["administrator", "owner"],
    "deleted-accounts": ["deleted"],
}["deleted-accounts"]


def ids(listed):
    return [account["accountid"] for account in listed]


class TestExceptions:
    class TestInvalidPaging:
        def test_invalid_querystring_offset(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask({"offset": "x"})) == "invalid-offset"

        def test_invalid_querystring_limit(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask({"limit": "0"})) == "invalid-limit"


class TestReceives:
    def test_optional_querystring_offset_and_limit(self, call, site):
        admin = site["administrator"]
        listed = call(ROUTE, "get", admin.ask({"offset": "0", "limit": "1"}))
        assert ids(listed) == [site[EXPECTED[0]].account["accountid"]]

    def test_optional_querystring_all(self, make_app, site):
        admin = site["administrator"]
        listed = call_route(make_app(page_size=1), ROUTE, "get", admin.ask({"all": "true"}))
        assert len(listed) == len(EXPECTED)


class TestReturns:
    def test_array_newest_first(self, call, site):
        listed = call(ROUTE, "get", site["administrator"].ask())
        assert ids(listed) == [site[name].account["accountid"] for name in EXPECTED]
        assert all(account["object"] == "account" for account in listed)

    def test_count(self, call, site):
        assert call(ROUTE + "-count", "get", site["administrator"].ask()) == len(EXPECTED)


class TestHttp:
    def test_bearer(self, client, site):
        response = client.get(
            "/api/deleted-accounts".replace("/api/", "/api/administrator/"),
            headers=site["administrator"].bearer,
        )
        assert (response.status_code, len(response.json)) == (200, len(EXPECTED))
