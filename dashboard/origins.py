"""Login CSRF and cross-site cookies: which browser requests may set or use the cookies.

A browser says where a request comes from: Sec-Fetch-Site (Fetch Metadata, which no
page can forge), and Origin. A request that would set the session cookies (sign-in) or
is signed in by them is refused with 403 ``invalid-origin`` when its browser says it
comes from another origin that is not in ALLOWED_ORIGINS. Requests that say neither
(curl, servers, apps) are not a browser's, and pass: cookies are a browser's credential.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Request

from dashboard.config import Config
from dashboard.errors import ApiError

# "none": the user asked for it (typed the address, a bookmark), no page did.
TRUSTED_SITES = frozenset({"same-origin", "none"})


def check(request: Request, config: Config) -> None:
    """Raise ``invalid-origin`` unless the request may set or use the session cookies."""
    origin = request.headers.get("Origin")
    if origin is not None and origin.lower() in config.allowed_origins:
        return
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        # same-site is another origin too: a sibling subdomain must be allowed by name.
        if site.lower() in TRUSTED_SITES:
            return
        raise ApiError("invalid-origin")
    # A browser without Fetch Metadata: its Origin must be this service's own host. The
    # scheme is not compared: TLS often ends at a proxy in front.
    if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
        raise ApiError("invalid-origin")
