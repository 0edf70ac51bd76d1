"""POST /api/user/passkey-sign-in-options: begin a sign-in with a passkey: what to sign."""

from __future__ import annotations

from typing import Any

from dashboard import access, clock, passkeys, storage
from dashboard.req import Req

AUTH = False
LIMITS = ("sign-in",)  # a challenge is a row written for anyone: the sign-in budgets
ERRORS: dict[str, str] = {}  # nothing it receives can be wrong
RETURNS = "PasskeyOptions"


def post(req: Req) -> dict[str, Any]:
    with storage.write():
        return passkeys.sign_in_options(access.appid(req), clock.now())
