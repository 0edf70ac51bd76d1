"""GET /api/administrator/sessions-count"""

from __future__ import annotations

from tests.api.administrator.lists import RowCount


class TestSessionsCount(RowCount):
    ROUTE = "administrator/sessions-count"
    KIND = "sessions"

    def test_invalid_querystring_active(self, error_of, administrator):
        req = administrator.ask({"active": "maybe"})
        assert error_of(self.ROUTE, "get", req) == "invalid-active"

    def test_optional_querystring_active(self, call, administrator, create_user, frozen_clock):
        ended, reset, valid = (create_user() for _ in range(3))
        call(
            "user/set-session-ended", "patch", ended.ask({"sessionid": ended.session["sessionid"]})
        )
        call("administrator/reset-session-key", "patch", administrator.ask(reset.own))
        # the valid user's, the administrator's own and its owner's
        assert call(self.ROUTE, "get", administrator.ask({"active": "true"})) == 3
        assert call(self.ROUTE, "get", administrator.ask({"active": "false"})) == 5
        frozen_clock.advance(minutes=21)
        assert call(self.ROUTE, "get", administrator.ask({"active": "true"})) == 0
