"""DELETE /api/administrator/delete-account"""

from __future__ import annotations

from dashboard import storage
from tests.api.administrator.rank import RankRule

ROUTE = "administrator/delete-account"


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, administrator):
            assert error_of(ROUTE, "delete", administrator.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, administrator):
            req = administrator.ask({"accountid": "acct_0000000000000000"})
            assert error_of(ROUTE, "delete", req) == "invalid-accountid"

    class TestInvalidAccount:
        def test_the_owner_can_never_go(self, error_of, administrator, owner):
            assert error_of(ROUTE, "delete", administrator.ask(owner.own)) == "invalid-account"


class TestRank(RankRule):
    ROUTE = ROUTE
    METHOD = "delete"


class TestReceives:
    def test_required_querystring_accountid(self, call, administrator, user):
        assert call(ROUTE, "delete", administrator.ask(user.own)) is True


class TestReturns:
    def test_true_and_everything_of_the_account_is_gone(
        self, app, call, administrator, user, create_profile, create_code
    ):
        create_profile(user)
        create_code(user)
        assert call(ROUTE, "delete", administrator.ask(user.own)) is True
        with app.app_context():
            for model in (storage.Session, storage.Profile, storage.ResetCode):
                assert not model.select().where(model.account == user.account["accountid"]).exists()
            assert storage.Account.get_or_none(accountid=user.account["accountid"]) is None


class TestHttp:
    def test_its_sessions_stop_at_the_next_request(self, client, administrator, user):
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 200
        response = client.delete(
            f"/api/administrator/delete-account?accountid={user.account['accountid']}",
            headers=administrator.bearer,
        )
        assert (response.status_code, response.get_data().strip()) == (200, b"true")
        assert client.get(url, headers=user.bearer).status_code == 401
