"""GET /api/verify: who signed in the request a reverse proxy is about to forward.

A proxy in front of any backend (nginx ``auth_request``, Traefik ForwardAuth, Caddy
``forward_auth``, Envoy ``ext_authz``) asks this, by GET or HEAD, for each request,
with the request's own credentials. Over HTTP the answer is 200 with an empty body and
the four headers of HEADERS, all of them always: the proxy copies them onto the request
it forwards. Signed out, 401. Signed in by cookie, a forwarded POST, PATCH, PUT or
DELETE (named by X-Forwarded-Method or X-Original-Method) without the session's
X-CSRF-Token, 403. Answered before Flask's routing (dashboard/gateway.py); never rate
limited.
"""

from __future__ import annotations

from typing import Any

from dashboard.errors import ApiError
from dashboard.req import Req

ERRORS = {
    "invalid-session": "no signed-in session in req (a Python call)",
}
RETURNS = "Identity"
KEPT = True  # made of rows alone: the gateway may answer it again from memory
# What the route returns -> the response header that carries it over HTTP.
HEADERS = {
    "accountid": "X-Accountid",
    "sessionid": "X-Sessionid",
    "administrator": "X-Administrator",
    "sessionVerifiedAt": "X-Session-Verified-At",
}


def get(req: Req) -> dict[str, Any]:
    account, session = req.get("account"), req.get("session")
    if not account or not session or session.get("accountid") != account.get("accountid"):
        raise ApiError("invalid-session")  # only from Python, with a req of no valid session
    return {
        "accountid": account["accountid"],
        "sessionid": session["sessionid"],
        "administrator": account.get("administrator") is True,
        "sessionVerifiedAt": session["lastVerifiedAt"],
    }
