"""The rank rule (DESIGN §9) every administrator write to an account keeps: the caller
must outrank the account. Each such route's test module names its route and method."""

from __future__ import annotations

import pytest

from dashboard.errors import ApiError
from tests.conftest import call_route, promoted


class RankRule:
    """ROUTE and METHOD: an administrator's write to the ?accountid= account."""

    ROUTE = ""
    METHOD = ""

    @pytest.fixture
    def other_administrator(self, app, create_user):
        return promoted(app, create_user())

    def refused(self, app, caller, target) -> None:
        with pytest.raises(ApiError, match="^invalid-account$"):
            call_route(app, self.ROUTE, self.METHOD, caller.ask(target.own))
        owner_or_not = call_route(app, "administrator/account", "get", caller.ask(target.own))
        assert "deletedAt" not in owner_or_not  # nothing was written
        assert owner_or_not["sessionKeyNumber"] == target.account["sessionKeyNumber"]

    def test_not_outranked_the_owners_account(self, app, administrator, owner):
        self.refused(app, administrator, owner)

    def test_not_outranked_the_owners_own_account(self, app, owner):
        self.refused(app, owner, owner)

    def test_not_outranked_another_administrators_account(
        self, app, administrator, other_administrator
    ):
        self.refused(app, administrator, other_administrator)

    def test_not_outranked_the_administrators_own_account(self, app, administrator):
        self.refused(app, administrator, administrator)

    def test_the_owner_outranks_an_administrator(self, call, owner, administrator):
        assert call(self.ROUTE, self.METHOD, owner.ask(administrator.own))

    def test_an_administrator_outranks_a_user(self, call, administrator, user):
        assert call(self.ROUTE, self.METHOD, administrator.ask(user.own))

    def test_http_403_for_the_owners_account(self, client, administrator, owner):
        response = client.open(
            f"/api/{self.ROUTE}?accountid={owner.account['accountid']}",
            method=self.METHOD.upper(),
            headers=administrator.bearer,
        )
        assert (response.status_code, response.json) == (
            403,
            {"object": "error", "message": "invalid-account"},
        )
