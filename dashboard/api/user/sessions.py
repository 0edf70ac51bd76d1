"""GET /api/user/sessions: the account's sessions, newest first, paged; ?active=true: valid ones."""

from __future__ import annotations

from typing import Any

from dashboard import access, sessions, storage


def get(req: dict[str, Any]) -> list[dict[str, Any]]:
    account = access.owned_account(req)
    offset, limit = access.paging(req)
    query = (
        storage.Session.select()
        .where(access.listed_sessions(req, account))
        .order_by(storage.Session.created_at.desc(), storage.Session.sessionid.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [sessions.public(storage.data(row), account) for row in query]
