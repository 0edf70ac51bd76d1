"""GET /api/administrator/sessions"""

from __future__ import annotations

from tests.api.administrator.lists import RowList
from tests.conftest import sign_in


class TestSessions(RowList):
    ROUTE = "administrator/sessions"
    KIND = "sessions"
    IDNAME = "sessionid"

    def test_no_csrf_token_the_holders_alone(self, client, administrator, made):
        rows, _ = made
        response = client.get(f"/api/{self.ROUTE}?all=true", headers=administrator.bearer)
        assert response.status_code == 200
        assert not any("csrfToken" in session for session in response.json)
        text = response.get_data(as_text=True)
        assert not any(row["csrfToken"] in text for row in rows)

    def test_invalid_querystring_active(self, error_of, administrator):
        req = administrator.ask({"active": "yes"})
        assert error_of(self.ROUTE, "get", req) == "invalid-active"

    def test_optional_querystring_active(self, call, administrator, create_user, frozen_clock):
        """Ended, signed out everywhere, expired, and valid: active=true lists the last."""
        ended, reset, expired, valid = (create_user() for _ in range(4))
        call(
            "user/set-session-ended", "patch", ended.ask({"sessionid": ended.session["sessionid"]})
        )
        call("administrator/reset-session-key", "patch", administrator.ask(reset.own))
        frozen_clock.advance(minutes=15)
        fresh = sign_in(call, valid.username, valid.password)
        frozen_clock.advance(minutes=6)  # every earlier session has expired (20 minutes)
        listed = call(self.ROUTE, "get", administrator.ask({"active": "true", "all": "true"}))
        assert [session["sessionid"] for session in listed] == [fresh["sessionid"]]
