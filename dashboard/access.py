"""What a route reads from its req: appid, credentials, and the records it names, checked."""

from __future__ import annotations

from typing import Any, Literal

from dashboard import accounts, security, sessions, storage
from dashboard.cache import current_cache
from dashboard.config import current_config
from dashboard.errors import ApiError
from dashboard.req import Req

Place = Literal["query", "body"]


def appid(req: Req) -> str:
    """The tenant a request reads and writes: its own appid, else the configured one."""
    return req.get("appid") or current_config().appid


def required(req: Req, place: Place, name: str, code: str) -> str:
    """``req[place][name]``, which must be present and not empty, or raise ``code``."""
    value: str | None = (req.get(place) or {}).get(name)
    if not value:
        raise ApiError(code)
    return value


def choice(req: Req, place: Place, name: str, allowed: tuple[str, ...], code: str) -> str | None:
    """``req[place][name]`` if given (empty is not given), which must be one of ``allowed``."""
    value = (req.get(place) or {}).get(name) or None
    if value is not None and value not in allowed:
        raise ApiError(code)
    return value


def choices(req: Req, declared: dict[str, Any]) -> None:
    """Check every posted value a route declares a tuple of choices for (``BODY``):
    each given one must be one of them, or raise ``invalid-<name>``."""
    for name, allowed in declared.items():
        if isinstance(allowed, tuple):
            choice(req, "body", name, allowed, f"invalid-{name}")


def required_id(req: Req, name: str, prefix: str, code: str) -> str:
    """``req["query"][name]``, an id of the ``prefix`` kind, or raise ``code``.

    A value not shaped like such an id names nothing, and is not looked up.
    """
    value = required(req, "query", name, code)
    if not security.is_id(value, prefix):
        raise ApiError(code)
    return value


def posted_credentials(req: Req) -> tuple[str, str]:
    """The posted username and password, both required, in that order."""
    username = required(req, "body", "username", "invalid-username")
    return username, required(req, "body", "password", "invalid-password")


def owned_account(req: Req) -> dict[str, Any]:
    """The account ?accountid= names, which must be the signed-in account."""
    accountid = required_id(req, "accountid", "acct", "invalid-accountid")
    account = current_cache().account(appid(req), accountid)
    if account is None:
        raise ApiError("invalid-accountid")
    if account["accountid"] != _signed_in(req):
        raise ApiError("invalid-account")
    return account


def confirmed_account(req: Req, password: str) -> storage.Account:
    """The ?accountid= account (owned, as owned_account), after its password is checked."""
    account = owned_account(req)
    row = accounts.row(appid(req), account["accountid"])
    accounts.verify_password(row, password)
    return row


def owned(req: Req, model: Any, name: str, prefix: str, code: str) -> Any:
    """The row of ``model`` that ?name= names (a ``prefix`` id), which must be the
    signed-in account's: ``invalid-account`` when it is another's."""
    row = named(req, model, name, prefix, code)
    if row.accountid != _signed_in(req):
        raise ApiError("invalid-account")
    return row


def named(req: Req, model: Any, name: str, prefix: str, code: str) -> Any:
    """The row of ``model`` that ?name= names (a ``prefix`` id), whoever's it is;
    ``code`` when the id is missing or names no row of this appid."""
    value = required_id(req, name, prefix, code)
    row = model.get_or_none((getattr(model, name) == value) & (model.appid == appid(req)))
    if row is None:
        raise ApiError(code)
    return row


def target_account(req: Req) -> dict[str, Any]:
    """The account ?accountid= names in this appid, whoever's it is (administrators)."""
    accountid = required_id(req, "accountid", "acct", "invalid-accountid")
    account = current_cache().account(appid(req), accountid)
    if account is None:
        raise ApiError("invalid-accountid")
    return account


def of_site(req: Req, model: Any) -> Any:
    """The condition that selects this appid's rows of ``model``; of one account only
    when ?accountid= names one (``invalid-accountid`` when it names none)."""
    condition = model.appid == appid(req)
    if (req.get("query") or {}).get("accountid"):
        condition &= model.account == target_account(req)["accountid"]
    return condition


def owned_session(req: Req) -> tuple[dict[str, Any], dict[str, Any]]:
    """The session ?sessionid= names and its account, which must be the signed-in one."""
    sessionid = required_id(req, "sessionid", "sess", "invalid-sessionid")
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


def listed_sessions(req: Req, account: dict[str, Any]) -> Any:
    """The condition that selects the account's sessions a list shows: all of them, or
    with ?active=true the valid ones only."""
    condition = of_account(storage.Session, appid(req), account["accountid"])
    if active_only(req):
        condition &= sessions.still_valid(account["session_key_number"])
    return condition


def site_sessions(req: Req) -> Any:
    """The condition that selects the site's sessions an administrator's list shows
    (joined to their accounts): of one account with ?accountid=, the valid ones only
    with ?active=true."""
    condition = of_site(req, storage.Session)
    if active_only(req):
        condition &= sessions.still_valid(storage.Account.session_key_number)
    return condition


def active_only(req: Req) -> bool:
    """Whether a list of sessions asks for the valid ones only (?active=true)."""
    return choice(req, "query", "active", ("true", "false"), "invalid-active") == "true"


# The paging every list route takes, and its errors.
PAGING = {"offset": "optional integer", "limit": "optional integer", "all": "optional"}
PAGING_ERRORS = {
    "invalid-offset": "querystring offset not a whole number",
    "invalid-limit": "querystring limit not a whole number above 0",
}


def of_account(model: Any, appid: str, accountid: str) -> Any:
    """The condition that selects an account's rows of ``model``."""
    return (model.account == accountid) & (model.appid == appid)


def listed(req: Req, model: Any, condition: Any) -> Any:
    """The rows of ``model`` that ``condition`` selects, newest first, as the request
    pages them."""
    query = (
        model.select()
        .where(condition)
        .order_by(model.created_at.desc(), model._meta.primary_key.desc())
    )
    return paged(req, query)


def paged(req: Req, query: Any) -> Any:
    """``query`` (newest first) cut to the page the request asks for."""
    offset, limit = paging(req)
    query = query.offset(offset)
    return query if limit is None else query.limit(limit)


def paging(req: Req) -> tuple[int, int | None]:
    """(offset, limit) from ?offset= (0), ?limit= (PAGE_SIZE) and ?all=true (no limit)."""
    query = req.get("query") or {}
    offset = _whole_number(query.get("offset"), 0, "invalid-offset")
    if query.get("all") == "true":
        return offset, None
    limit = _whole_number(query.get("limit"), current_config().page_size, "invalid-limit")
    if limit < 1:
        raise ApiError("invalid-limit")
    return offset, limit


def _whole_number(value: str | None, default: int, code: str) -> int:
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise ApiError(code)
    return int(value)


def sessionid(req: Req) -> str | None:
    """The signed-in session's id, if any."""
    return (req.get("session") or {}).get("sessionid")


def _signed_in(req: Req) -> str | None:
    return (req.get("account") or {}).get("accountid")
