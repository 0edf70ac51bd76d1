"""GET /api/administrator/profiles"""

from __future__ import annotations

from tests.api.administrator.lists import RowList


class TestProfiles(RowList):
    ROUTE = "administrator/profiles"
    KIND = "profiles"
    IDNAME = "profileid"
