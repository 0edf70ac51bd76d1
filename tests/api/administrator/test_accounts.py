"""GET /api/administrator/accounts"""

from __future__ import annotations

from tests.api.administrator.lists import AccountList


class TestAccounts(AccountList):
    ROUTE = "administrator/accounts"
    EXPECTED = ["deleted", "user", "administrator", "owner"]

    def test_optional_querystring_username_finds_the_one_account(self, call, site):
        wanted = site["user"]
        listed = call(self.ROUTE, "get", site["administrator"].ask({"username": wanted.username}))
        assert self.ids(listed) == [wanted.account["accountid"]]

    def test_a_username_in_another_form_finds_the_same_account(self, call, site):
        wanted = site["user"]
        shouted = wanted.username.upper()  # usernames are prepared case-insensitively
        listed = call(self.ROUTE, "get", site["administrator"].ask({"username": shouted}))
        assert self.ids(listed) == [wanted.account["accountid"]]

    def test_an_unknown_username_finds_none(self, call, site):
        listed = call(self.ROUTE, "get", site["administrator"].ask({"username": "nobody-here"}))
        assert listed == []

    def test_username_over_http(self, client, site):
        wanted = site["owner"]
        response = client.get(
            f"/api/{self.ROUTE}?username={wanted.username}", headers=site["administrator"].bearer
        )
        assert (response.status_code, self.ids(response.json)) == (
            200,
            [wanted.account["accountid"]],
        )
