"""GET /api/administrator/audit"""

from __future__ import annotations

from tests.conftest import call_route

ROUTE = "administrator/audit"


def written(call, administrator, frozen_clock, *users):
    """One audited write to each of ``users``, a second apart, oldest first."""
    for user in users:
        frozen_clock.advance(seconds=1)
        call("administrator/reset-session-key", "patch", administrator.ask(user.own))


class TestExceptions:
    class TestInvalidAccountid:
        def test_invalid_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "sess_0000000000000000"})
            assert error_of(ROUTE, "get", req) == "invalid-accountid"

    class TestInvalidOffset:
        def test_invalid_querystring_offset(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask({"offset": "x"})) == "invalid-offset"

    class TestInvalidLimit:
        def test_invalid_querystring_limit(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask({"limit": "0"})) == "invalid-limit"


class TestReceives:
    def test_optional_querystring_accountid(self, call, administrator, frozen_clock, create_user):
        first, second = create_user(), create_user()
        written(call, administrator, frozen_clock, first, second, first)
        listed = call(ROUTE, "get", administrator.ask(first.own))
        assert [row["accountid"] for row in listed] == [first.account["accountid"]] * 2

    def test_optional_querystring_accountid_of_a_deleted_account(
        self, call, administrator, frozen_clock, user
    ):
        written(call, administrator, frozen_clock, user)
        frozen_clock.advance(seconds=1)
        call("administrator/delete-account", "delete", administrator.ask(user.own))
        listed = call(ROUTE, "get", administrator.ask(user.own))
        assert [row["action"] for row in listed] == ["delete-account", "reset-session-key"]

    def test_optional_querystring_offset_and_limit(
        self, call, administrator, frozen_clock, create_user
    ):
        users = [create_user() for _ in range(3)]
        written(call, administrator, frozen_clock, *users)
        listed = call(ROUTE, "get", administrator.ask({"offset": "1", "limit": "1"}))
        assert [row["accountid"] for row in listed] == [users[1].account["accountid"]]

    def test_optional_querystring_all(self, make_app, call, administrator, frozen_clock, user):
        written(call, administrator, frozen_clock, user, user)
        app = make_app(page_size=1)
        assert len(call_route(app, ROUTE, "get", administrator.ask({"all": "true"}))) == 2


class TestReturns:
    def test_array_newest_first_naming_who_what_to_whom_and_when(
        self, call, administrator, frozen_clock, create_user
    ):
        first, second = create_user(), create_user()
        written(call, administrator, frozen_clock, first, second)
        listed = call(ROUTE, "get", administrator.ask())
        assert [row["accountid"] for row in listed] == [
            second.account["accountid"],
            first.account["accountid"],
        ]
        newest = listed[0]
        assert newest["object"] == "audit" and newest["auditid"].startswith("audt_")
        assert newest["administratorid"] == administrator.account["accountid"]
        assert newest["sessionid"] == administrator.session["sessionid"]
        assert newest["action"] == "reset-session-key"
        assert newest["createdAt"] > listed[1]["createdAt"]

    def test_other_appids_are_not_listed(self, call, administrator, frozen_clock, user):
        written(call, administrator, frozen_clock, user)
        other = dict(administrator.ask(), appid="other")
        assert call(ROUTE, "get", other) == []


class TestHttp:
    def test_array(self, client, call, administrator, frozen_clock, user):
        written(call, administrator, frozen_clock, user)
        response = client.get(f"/api/{ROUTE}", headers=administrator.bearer)
        assert response.status_code == 200
        assert [row["action"] for row in response.json] == ["reset-session-key"]

    def test_a_user_is_refused(self, client, user):
        response = client.get(f"/api/{ROUTE}", headers=user.bearer)
        assert (response.status_code, response.json["message"]) == (403, "Administrator required")
