"""What every form of the pages needs: a token against forged forms, a safe way back,
and the posted values to show again (never a password)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Response, request

from dashboard import origins, security
from dashboard.config import Config
from dashboard.errors import ApiError

# Before there is a session, a form carries this cookie's value in a hidden field: a
# page of another site can make a browser post, but cannot read the cookie to copy it
# (login CSRF: being signed in as someone else without knowing it).
PRESESSION_COOKIE = "presession"
PRESESSION_FIELD = "presession"
SECRET_FIELDS = frozenset({"password", "new-password", "confirm", "secret-code"})
HOME = "/account/"


def presession_token() -> str:
    """The browser's pre-session token, or a new one (set by ``keep_presession``)."""
    return request.cookies.get(PRESESSION_COOKIE) or security.new_token()


def keep_presession(response: Response, token: str, config: Config) -> None:
    """Set the pre-session cookie the page's form copies, unless the browser has it."""
    if request.cookies.get(PRESESSION_COOKIE) != token:
        response.set_cookie(
            PRESESSION_COOKIE,
            token,
            path="/account/",
            httponly=True,
            samesite="Strict",
            secure=config.session_cookie_secure,
        )


def forged(config: Config) -> str | None:
    """Why a form posted before any session must be refused, as an error code, or None:
    it came from another site's page (the API's origin rule), or it does not carry the
    browser's own pre-session token."""
    try:
        origins.check(request.headers, request.host, config)
    except ApiError as error:
        return error.code
    if not security.same(
        request.cookies.get(PRESESSION_COOKIE), request.form.get(PRESESSION_FIELD)
    ):
        return "invalid-csrf-token"
    return None


# A path on this site: one slash, then no slash or backslash, and no scheme or control
# character; checked again after percent-decoding, so that %2F%2F is no way out either.
_LOCAL = re.compile(r"/(?![/\\])[^\\\x00-\x1f\x7f]*")


def return_to(value: str | None) -> str:
    """Where to go after a form: ``value`` if it is a path on this site, else HOME."""
    if not value or len(value) > 2000:
        return HOME
    for form in (value, unquote(value)):
        if not _LOCAL.fullmatch(form) or urlsplit(form).scheme or urlsplit(form).netloc:
            return HOME
    return value


def kept_values() -> dict[str, Any]:
    """The posted values to fill the form again with: every one but the secrets."""
    return {name: value for name, value in request.form.items() if name not in SECRET_FIELDS}
