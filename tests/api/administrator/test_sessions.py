"""GET /api/administrator/sessions"""

from __future__ import annotations

from tests.api.administrator.lists import RowList


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
