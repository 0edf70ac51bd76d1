"""GET /api/user/sessions"""

from __future__ import annotations

import pytest

from tests.conftest import sign_in

ROUTE = "user/sessions"


@pytest.fixture
def devices(frozen_clock, call, user):
    """The user signed in on four more devices, a second apart: five sessions, oldest first."""
    sessions = [user.session]
    for _ in range(4):
        frozen_clock.advance(seconds=1)
        sessions.append(sign_in(call, user.username, user.password))
    return sessions


class TestExceptions:
    class TestInvalidAccountid:
        def test_missing_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask()) == "invalid-accountid"

        def test_invalid_querystring_accountid(self, error_of, user):
            assert error_of(ROUTE, "get", user.ask({"accountid": "invalid"})) == "invalid-accountid"

    class TestInvalidAccount:
        def test_ineligible_accessing_account(self, error_of, create_user):
            user, other = create_user(), create_user()
            assert error_of(ROUTE, "get", user.ask(other.own)) == "invalid-account"

    class TestInvalidPaging:
        @pytest.mark.parametrize("offset", ["x", "-1", "1.5", "１"])
        def test_invalid_querystring_offset(self, error_of, user, offset):
            assert (
                error_of(ROUTE, "get", user.ask({**user.own, "offset": offset})) == "invalid-offset"
            )

        @pytest.mark.parametrize("limit", ["x", "0", "-3"])
        def test_invalid_querystring_limit(self, error_of, user, limit):
            assert error_of(ROUTE, "get", user.ask({**user.own, "limit": limit})) == "invalid-limit"

    class TestInvalidActive:
        def test_querystring_active_not_true_or_false(self, error_of, user):
            assert (
                error_of(ROUTE, "get", user.ask({**user.own, "active": "yes"})) == "invalid-active"
            )


class TestReceives:
    def test_optional_querystring_active(self, call, user, devices, frozen_clock):
        """Ended, expired, and the rest: active=true lists the valid ones only."""
        call("user/set-session-ended", "patch", user.ask({"sessionid": devices[1]["sessionid"]}))
        frozen_clock.advance(minutes=20, seconds=-2)  # the first three of five have expired
        active = call(ROUTE, "get", user.ask({**user.own, "active": "true"}))
        assert [s["sessionid"] for s in active] == [s["sessionid"] for s in devices[:2:-1]]
        assert all(s["ended"] is False for s in active)
        every = call(ROUTE, "get", user.ask({**user.own, "active": "false", "all": "true"}))
        assert len(every) == 5

    def test_optional_querystring_offset(self, call, user, devices):
        listed = call(ROUTE, "get", user.ask({**user.own, "offset": "3"}))
        assert [s["sessionid"] for s in listed] == [s["sessionid"] for s in devices[::-1][3:]]

    def test_optional_querystring_limit(self, call, user, devices):
        listed = call(ROUTE, "get", user.ask({**user.own, "limit": "2"}))
        assert [s["sessionid"] for s in listed] == [s["sessionid"] for s in devices[::-1][:2]]

    def test_optional_querystring_all(self, call, make_app, user, devices):
        from tests.conftest import call_route

        small_pages = make_app(page_size=2)
        listed = call_route(small_pages, ROUTE, "get", user.ask({**user.own, "all": "true"}))
        assert len(listed) == 5

    def test_default_limit_is_page_size(self, make_app, user, devices):
        from tests.conftest import call_route

        small_pages = make_app(page_size=3)
        assert len(call_route(small_pages, ROUTE, "get", user.ask(user.own))) == 3


class TestReturns:
    def test_array_newest_first(self, call, user, devices):
        listed = call(ROUTE, "get", user.ask(user.own))
        assert [s["sessionid"] for s in listed] == [s["sessionid"] for s in reversed(devices)]
        assert all(s["object"] == "session" and "token" not in s for s in listed)

    def test_shows_where_each_session_signed_in_from(self, client, user):
        client.post(
            "/api/user/create-session",
            json={"username": user.username, "password": user.password},
            headers={"User-Agent": "phone-browser/2.0"},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
        response = client.get(
            f"/api/user/sessions?accountid={user.account['accountid']}", headers=user.bearer
        )
        newest = response.json[0]
        assert (newest["ipAddress"], newest["userAgent"]) == ("203.0.113.9", "phone-browser/2.0")

    def test_ended_sessions_show_when(self, call, user, devices):
        ended = call(
            "user/set-session-ended", "patch", user.ask({"sessionid": devices[2]["sessionid"]})
        )
        listed = {s["sessionid"]: s for s in call(ROUTE, "get", user.ask(user.own))}
        assert listed[devices[2]["sessionid"]]["ended"] == ended["endedAt"]
        assert listed[devices[1]["sessionid"]]["ended"] is False

    def test_expired_session_shows_its_expiry_as_ended(self, frozen_clock, call, create_user):
        user = create_user()
        frozen_clock.advance(minutes=30)
        fresh = sign_in(call, user.username, user.password)
        fresh_user = type(user)(user.username, user.password, user.account, fresh)
        listed = {s["sessionid"]: s for s in call(ROUTE, "get", fresh_user.ask(user.own))}
        expired = listed[user.session["sessionid"]]
        assert expired["ended"] == expired["expiresAt"]
        assert listed[fresh["sessionid"]]["ended"] is False


class TestHttp:
    def test_bearer(self, client, user, devices):
        response = client.get(
            f"/api/user/sessions?accountid={user.account['accountid']}&limit=2", headers=user.bearer
        )
        assert response.status_code == 200
        assert [s["sessionid"] for s in response.json] == [
            devices[4]["sessionid"],
            devices[3]["sessionid"],
        ]

    def test_empty_page_is_an_empty_array(self, client, user):
        response = client.get(
            f"/api/user/sessions?accountid={user.account['accountid']}&offset=50",
            headers=user.bearer,
        )
        assert response.status_code == 200
        assert response.get_data().strip() == b"[]"

    def test_invalid_limit_is_400(self, client, user):
        response = client.get(
            f"/api/user/sessions?accountid={user.account['accountid']}&limit=0", headers=user.bearer
        )
        assert (response.status_code, response.json["message"]) == (400, "invalid-limit")

    def test_ineligible_accessing_account_is_403(self, client, create_user):
        user, other = create_user(), create_user()
        response = client.get(
            f"/api/user/sessions?accountid={other.account['accountid']}", headers=user.bearer
        )
        assert (response.status_code, response.json["message"]) == (403, "invalid-account")

    def test_signed_out_is_401(self, client, user):
        assert (
            client.get(f"/api/user/sessions?accountid={user.account['accountid']}").status_code
            == 401
        )
