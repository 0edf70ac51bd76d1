"""GET /api/administrator/profiles-count"""

from __future__ import annotations

from tests.api.administrator.lists import RowCount


class TestProfilesCount(RowCount):
    ROUTE = "administrator/profiles-count"
    KIND = "profiles"
