"""Login CSRF and cross-site cookies: which browser requests may set or use the cookies.

A browser says where a request comes from: Sec-Fetch-Site (Fetch Metadata, which no
page can forge), and Origin. A request that would set the session cookies (sign-in) or
is signed in by them is refused with 403 ``invalid-origin`` when its browser says it is
cross-site, or sends an Origin that is neither this host nor in ALLOWED_ORIGINS.
Requests that say neither (curl, servers, apps) are not a browser's, and pass: cookies
are a browser's credential.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from dashboard.config import Config
from dashboard.errors import ApiError
from dashboard.req import RequestHeaders

# "none": the user asked for it (typed the address, a bookmark), no page did.
TRUSTED_SITES = frozenset({"same-origin", "none"})


def check(headers: RequestHeaders, host: str, config: Config) -> None:
    """Raise ``invalid-origin`` unless a request, of these headers and made to ``host``,
    may set or use the session cookies."""
    site = (headers.get("Sec-Fetch-Site") or "").lower()
    origin = headers.get("Origin")
    if site in TRUSTED_SITES or (origin is not None and origin.lower() in config.allowed_origins):
        return
    if site == "cross-site":
        raise ApiError("invalid-origin")
    # The scheme is not compared with this host's: TLS often ends at a proxy in front.
    if origin is not None and urlsplit(origin).netloc.lower() != host.lower():
        raise ApiError("invalid-origin")
