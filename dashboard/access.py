"""What a route reads from its req: appid, credentials, and the records it names, checked."""

from __future__ import annotations

from typing import Any

from dashboard.cache import current_cache
from dashboard.config import current_config
from dashboard.errors import ApiError


def appid(req: dict[str, Any]) -> str:
    """The tenant a request reads and writes: its own appid, else the configured one."""
    return req.get("appid") or current_config().appid


def posted_credentials(req: dict[str, Any]) -> tuple[str, str]:
    """The posted username and password, both required, in that order."""
    body = req.get("body") or {}
    username, password = body.get("username"), body.get("password")
    if not username:
        raise ApiError("invalid-username")
    if not password:
        raise ApiError("invalid-password")
    return username, password


def owned_account(req: dict[str, Any]) -> dict[str, Any]:
    """The account ?accountid= names, which must be the signed-in account."""
    accountid = (req.get("query") or {}).get("accountid")
    if not accountid:
        raise ApiError("invalid-accountid")
    account = current_cache().account(appid(req), accountid)
    if account is None:
        raise ApiError("invalid-accountid")
    if account["accountid"] != _signed_in(req):
        raise ApiError("invalid-account")
    return account


def owned_session(req: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The session ?sessionid= names and its account, which must be the signed-in one."""
    sessionid = (req.get("query") or {}).get("sessionid")
    if not sessionid:
        raise ApiError("invalid-sessionid")
    cache = current_cache()
    session = cache.session(appid(req), sessionid)
    if session is None:
        raise ApiError("invalid-sessionid")
    if session["account"] != _signed_in(req):
        raise ApiError("invalid-account")
    account = cache.account(appid(req), session["account"])
    if account is None:  # removed since the session was read
        raise ApiError("invalid-sessionid")
    return session, account


def _signed_in(req: dict[str, Any]) -> str | None:
    return (req.get("account") or {}).get("accountid")
