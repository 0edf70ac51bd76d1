"""The tests every administrator list route and its count share; each route's own test
module names the route and what it lists."""

from __future__ import annotations

from tests.conftest import call_route


class AccountList:
    """administrator/<kind>-accounts: ROUTE, and EXPECTED (the site's accounts it lists,
    newest first)."""

    ROUTE = ""
    EXPECTED: list[str] = []

    def ids(self, listed):
        return [account["accountid"] for account in listed]

    def test_invalid_querystring_offset(self, error_of, administrator):
        assert error_of(self.ROUTE, "get", administrator.ask({"offset": "x"})) == "invalid-offset"

    def test_invalid_querystring_limit(self, error_of, administrator):
        assert error_of(self.ROUTE, "get", administrator.ask({"limit": "0"})) == "invalid-limit"

    def test_optional_querystring_offset_and_limit(self, call, site):
        listed = call(self.ROUTE, "get", site["administrator"].ask({"offset": "0", "limit": "1"}))
        assert self.ids(listed) == [site[self.EXPECTED[0]].account["accountid"]]

    def test_optional_querystring_all(self, make_app, site):
        app = make_app(page_size=1)
        listed = call_route(app, self.ROUTE, "get", site["administrator"].ask({"all": "true"}))
        assert len(listed) == len(self.EXPECTED)

    def test_array_newest_first(self, call, site):
        listed = call(self.ROUTE, "get", site["administrator"].ask())
        assert self.ids(listed) == [site[name].account["accountid"] for name in self.EXPECTED]
        assert all(account["object"] == "account" for account in listed)

    def test_http(self, client, site):
        response = client.get(f"/api/{self.ROUTE}", headers=site["administrator"].bearer)
        assert (response.status_code, len(response.json)) == (200, len(self.EXPECTED))


class AccountCount:
    """administrator/<kind>-accounts-count: ROUTE, and EXPECTED as its list's."""

    ROUTE = ""
    EXPECTED: list[str] = []

    def test_integer(self, call, site):
        assert call(self.ROUTE, "get", site["administrator"].ask()) == len(self.EXPECTED)

    def test_other_appids_are_not_counted(self, call, site):
        body = {"username": "another-tenant", "password": "a-password"}
        call("user/create-account", "post", {"body": body, "appid": "other"})
        assert call(self.ROUTE, "get", site["administrator"].ask()) == len(self.EXPECTED)

    def test_http(self, client, site):
        response = client.get(f"/api/{self.ROUTE}", headers=site["administrator"].bearer)
        assert (response.status_code, response.json) == (200, len(self.EXPECTED))


class RowList:
    """administrator/<sessions|profiles|reset-codes>: ROUTE, KIND and IDNAME."""

    ROUTE = ""
    KIND = ""
    IDNAME = ""

    def ids(self, listed):
        return [row[self.IDNAME] for row in listed]

    def test_unknown_querystring_accountid(self, error_of, administrator):
        req = administrator.ask({"accountid": "acct_0000000000000000"})
        assert error_of(self.ROUTE, "get", req) == "invalid-accountid"

    def test_invalid_querystring_offset(self, error_of, administrator):
        assert error_of(self.ROUTE, "get", administrator.ask({"offset": "-1"})) == "invalid-offset"

    def test_invalid_querystring_limit(self, error_of, administrator):
        assert error_of(self.ROUTE, "get", administrator.ask({"limit": "x"})) == "invalid-limit"

    def test_optional_querystring_accountid(self, call, administrator, made):
        rows, first = made
        listed = call(self.ROUTE, "get", administrator.ask(first.own))
        assert self.ids(listed) == [rows[0][self.IDNAME]]

    def test_optional_querystring_offset_and_limit(self, call, administrator, made):
        listed = call(self.ROUTE, "get", administrator.ask({"offset": "0", "limit": "1"}))
        assert len(listed) == 1

    def test_optional_querystring_all(self, make_app, administrator, made):
        app = make_app(page_size=1)
        listed = call_route(app, self.ROUTE, "get", administrator.ask({"all": "true"}))
        assert len(listed) > 1

    def test_array_newest_first_of_every_account(self, call, administrator, made):
        rows, _ = made
        listed = call(self.ROUTE, "get", administrator.ask())
        assert self.ids(listed)[: len(rows)] == self.ids(rows[::-1])
        assert not any("token" in row or "secretCode" in row for row in listed)

    def test_http(self, client, administrator, made):
        rows, first = made
        response = client.get(
            f"/api/{self.ROUTE}?accountid={first.account['accountid']}",
            headers=administrator.bearer,
        )
        assert (response.status_code, self.ids(response.json)) == (200, [rows[0][self.IDNAME]])


class RowCount:
    """administrator/<sessions|profiles|reset-codes>-count: ROUTE and KIND."""

    ROUTE = ""
    KIND = ""

    def test_unknown_querystring_accountid(self, error_of, administrator):
        req = administrator.ask({"accountid": "acct_0000000000000000"})
        assert error_of(self.ROUTE, "get", req) == "invalid-accountid"

    def test_optional_querystring_accountid(self, call, administrator, made):
        _, first = made
        assert call(self.ROUTE, "get", administrator.ask(first.own)) == 1

    def test_integer_of_the_site(self, call, administrator, made):
        assert call(self.ROUTE, "get", administrator.ask()) >= 2

    def test_http(self, client, administrator, made):
        _, first = made
        response = client.get(
            f"/api/{self.ROUTE}?accountid={first.account['accountid']}",
            headers=administrator.bearer,
        )
        assert (response.status_code, response.json) == (200, 1)
