"""GET /api/administrator/session"""

from __future__ import annotations

ROUTE = "administrator/session"


class TestExceptions:
    class TestInvalidSessionid:
        def test_missing_querystring_sessionid(self, error_of, administrator):
            assert error_of(ROUTE, "get", administrator.ask()) == "invalid-sessionid"

        def test_invalid_querystring_sessionid(self, error_of, administrator):
            req = administrator.ask({"sessionid": "sess_0000000000000000"})
            assert error_of(ROUTE, "get", req) == "invalid-sessionid"


class TestReceives:
    def test_required_querystring_sessionid_of_anyone(self, call, administrator, user):
        session = call(ROUTE, "get", administrator.ask({"sessionid": user.session["sessionid"]}))
        assert session["accountid"] == user.account["accountid"]


class TestReturns:
    def test_ended_as_its_own_account_sees_it(self, call, client, administrator, user):
        client.patch(
            f"/api/user/reset-session-key?accountid={user.account['accountid']}",
            headers=user.bearer,
        )
        session = call(ROUTE, "get", administrator.ask({"sessionid": user.session["sessionid"]}))
        account = call("administrator/account", "get", administrator.ask(user.own))
        assert session["ended"] == account["sessionKeyLastResetAt"]
        assert "token" not in session

    def test_no_csrf_token_the_holders_alone(self, call, administrator, user):
        session = call(ROUTE, "get", administrator.ask({"sessionid": user.session["sessionid"]}))
        assert "csrfToken" not in session
        assert session["lastVerifiedAt"] == user.session["lastVerifiedAt"]


class TestHttp:
    def test_bearer(self, client, administrator, user):
        response = client.get(
            f"/api/administrator/session?sessionid={user.session['sessionid']}",
            headers=administrator.bearer,
        )
        assert (response.status_code, response.json["ended"]) == (200, False)
        assert user.session["csrfToken"] not in response.get_data(as_text=True)
