"""Request parameters: the query string and the posted body as dicts of str."""

from __future__ import annotations

import functools
import ipaddress
import json
from typing import Any
from urllib.parse import parse_qsl

from flask import g, request

from dashboard.config import current_config
from dashboard.errors import ApiError

MAXIMUM_FIELDS = 1000
MAXIMUM_USER_AGENT = 512


def body() -> dict[str, str]:
    """The posted fields: urlencoded, multipart or a JSON object. Parsed once a request,
    by whoever asks first (the view, or a rate limit keyed by the username): a body over
    MAXIMUM_POST_DATA_LENGTH raises 413 to each of them, and is never parsed, not even
    the part of it that came within the limit."""
    if "dashboard_body" not in g:
        try:
            g.dashboard_body = _parse_body()
        except Exception as error:  # noqa: BLE001 - kept, and raised to every reader
            g.dashboard_body = error
    body: dict[str, str] | Exception = g.dashboard_body
    if isinstance(body, Exception):
        raise body
    return body


def uploads() -> dict[str, Any]:
    """Files posted as multipart, by field name."""
    if request.mimetype != "multipart/form-data":
        return {}
    body()  # validates the body first
    return {name: request.files[name] for name in request.files}


def client_address() -> str | None:
    """The client's IP address (after PROXY_COUNT trusted proxies), or None if not one."""
    return ip_address(request.remote_addr)


@functools.lru_cache(maxsize=4096)  # the same clients come back: parse each address once
def ip_address(text: str | None) -> str | None:
    """``text`` as an IP address, or None when it is not one.

    A forwarded address is only text a proxy passed on: it is stored, logged and used as
    a limit key only once ``ipaddress`` reads it. An IPv6 zone id names an interface of
    the proxy's host, not the client, and is dropped.
    """
    try:
        address = ipaddress.ip_address(text or "")
    except ValueError:
        return None
    return str(address).partition("%")[0]


def printable(text: str | None, limit: int) -> str | None:
    """``text`` without control characters (NUL among them), cut to ``limit``; or None."""
    if not text:
        return None
    kept = text if text.isprintable() else "".join(c for c in text if c.isprintable())
    return kept[:limit] or None


def _parse_body() -> dict[str, str]:
    # Before the body is first read: werkzeug bounds its stream by this when it makes it.
    request.max_content_length = current_config().maximum_post_data_length
    raw = request.get_data(cache=True)  # raises 413 past a declared Content-Length
    if request.content_length is None:
        # A chunked body is cut at the maximum; one more read raises 413 if it went on.
        request.stream.read(1)
    if not raw:
        return {}
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        return parse_urlencoded(raw)
    if mimetype == "multipart/form-data":
        return _parse_multipart()
    if mimetype == "application/json" or mimetype.endswith("+json"):
        return _parse_json(raw)
    raise ApiError("invalid-content-type")


def parse_urlencoded(raw: bytes) -> dict[str, str]:
    """Urlencoded fields (a query string, a form), first value of each; UTF-8 only."""
    if not raw:
        return {}
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"),
            keep_blank_values=True,
            errors="strict",
            max_num_fields=MAXIMUM_FIELDS,
        )
    except ValueError:  # UnicodeDecodeError is one
        raise ApiError("invalid-request-body") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


def _parse_multipart() -> dict[str, str]:
    try:
        form = request.form
    except ValueError:
        raise ApiError("invalid-request-body") from None
    fields = {name: form.get(name, "") for name in form}
    # werkzeug decodes parts with errors="replace"; a replacement character means the
    # part was not UTF-8.
    for name, value in fields.items():
        if "\ufffd" in value:
            raise ApiError("invalid-request-body", field=name)
    return fields


def _parse_json(raw: bytes) -> dict[str, str]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # RecursionError: nested thousands deep
        raise ApiError("invalid-request-body") from None
    if not isinstance(value, dict):
        raise ApiError("invalid-request-body")
    fields: dict[str, str] = {}
    for name, item in value.items():
        if item is None:
            continue  # null counts as missing
        if not isinstance(item, str) or not _is_utf8(item):
            raise ApiError("invalid-request-body", field=name)
        fields[name] = item
    return fields


def _is_utf8(text: str) -> bool:
    # JSON escapes can spell lone surrogates, which are not text.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
