"""GET /api/user/session: one of the signed-in account's sessions."""

from __future__ import annotations

from typing import Any

from dashboard import access, sessions


def get(req: dict[str, Any]) -> dict[str, Any]:
    session, account = access.owned_session(req)
    return sessions.public(session, account)
