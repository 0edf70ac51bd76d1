"""PATCH /api/administrator/set-account-deleted"""

from __future__ import annotations

from datetime import timedelta

from dashboard import clock
from tests.api.administrator.rank import RankRule

ROUTE = "administrator/set-account-deleted"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "patch", administrator.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "patch", administrator.ask({"accountid": "x"})) == (
                "invalid-accountid"
            )

    class TestInvalidAccount:
        def test_already_scheduled(self, call, error_of, administrator, user):
            call(ROUTE, "patch", administrator.ask(user.own))
            assert error_of(ROUTE, "patch", administrator.ask(user.own)) == "invalid-account"

        def test_the_owner_can_never_go(self, error_of, administrator, owner):
            assert error_of(ROUTE, "patch", administrator.ask(owner.own)) == "invalid-account"


class TestRank(RankRule):
    ROUTE = ROUTE
    METHOD = "patch"


class TestReceives:
    def test_required_querystring_accountid(self, call, administrator, user):
        assert "deletedAt" in call(ROUTE, "patch", administrator.ask(user.own))


class TestReturns:
    def test_deleted_at_delete_delay_days_ahead(self, call, administrator, user, frozen_clock):
        account = call(ROUTE, "patch", administrator.ask(user.own))
        assert account["deletedAt"] == clock.iso(frozen_clock() + timedelta(days=7))


class TestHttp:
    def test_signs_the_target_out(self, client, administrator, user):
        response = client.patch(
            f"/api/administrator/set-account-deleted?accountid={user.account['accountid']}",
            headers=administrator.bearer,
        )
        assert response.status_code == 200
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 401
