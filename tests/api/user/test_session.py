"""GET /api/user/session"""

from __future__ import annotations

ROUTE = "user/session"


class TestExceptions:
    class TestInvalidSessionid:
        def test_missing_querystring_sessionid(self, error_of, user):
            assert error_of(ROUTE, "get", user.req) == "invalid-sessionid"

        def test_invalid_querystring_sessionid(self, error_of, user):
            assert (
                error_of(ROUTE, "get", {**user.req, "query": {"sessionid": "invalid"}})
                == "invalid-sessionid"
            )

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, user2 = create_user(), create_user()
            req = {**user.req, "query": {"sessionid": user2.session["sessionid"]}}
            assert error_of(ROUTE, "get", req) == "invalid-account"


class TestReceives:
    def test_required_querystring_sessionid(self, call, user):
        req = {**user.req, "query": {"sessionid": user.session["sessionid"]}}
        assert call(ROUTE, "get", req)["sessionid"] == user.session["sessionid"]


class TestReturns:
    def test_object(self, call, user):
        session = call(
            ROUTE, "get", {**user.req, "query": {"sessionid": user.session["sessionid"]}}
        )
        expected = {key: value for key, value in user.session.items() if key != "token"}
        assert session == expected
        assert "tokenHash" not in session

    def test_ended_is_the_expiry_time_once_expired(self, call, user, frozen_clock):
        frozen_clock.advance(minutes=21)
        session = call(
            ROUTE, "get", {**user.req, "query": {"sessionid": user.session["sessionid"]}}
        )
        assert session["ended"] == session["expiresAt"]

    def test_ended_is_the_reset_time_after_a_key_reset(self, call, user, frozen_clock):
        frozen_clock.advance(minutes=1)
        call(
            "user/reset-session-key",
            "patch",
            {**user.req, "query": {"accountid": user.account["accountid"]}},
        )
        session = call(
            ROUTE, "get", {**user.req, "query": {"sessionid": user.session["sessionid"]}}
        )
        account = call(
            "user/account", "get", {**user.req, "query": {"accountid": user.account["accountid"]}}
        )
        assert session["ended"] == account["sessionKeyLastResetAt"]
        assert session["ended"] != session["expiresAt"]


class TestHttp:
    def test_bearer(self, client, user):
        response = client.get(
            f"/api/user/session?sessionid={user.session['sessionid']}", headers=user.bearer
        )
        assert response.status_code == 200
        assert response.json["sessionid"] == user.session["sessionid"]
        assert response.json["ended"] is False

    def test_missing_querystring_sessionid(self, client, user):
        response = client.get("/api/user/session", headers=user.bearer)
        assert response.status_code == 400
        assert response.json == {
            "object": "error",
            "message": "invalid-sessionid",
            "field": "sessionid",
        }

    def test_invalid_querystring_sessionid(self, client, user):
        response = client.get(
            "/api/user/session?sessionid=sess_0000000000000000", headers=user.bearer
        )
        assert response.status_code == 400
        assert response.json == {
            "object": "error",
            "message": "invalid-sessionid",
            "field": "sessionid",
        }

    def test_ineligible_accessing_account_is_403(self, client, create_user):
        user, user2 = create_user(), create_user()
        response = client.get(
            f"/api/user/session?sessionid={user2.session['sessionid']}", headers=user.bearer
        )
        assert response.status_code == 403
        assert response.json["message"] == "invalid-account"

    def test_signed_out_is_401(self, client, user):
        response = client.get(f"/api/user/session?sessionid={user.session['sessionid']}")
        assert response.status_code == 401
