"""Authenticator apps (RFC 6238: 30-second steps, 6 digits, SHA-1, as every app reads
them): a secret kept encrypted, and a code accepted once, one step either side.

The secret is sealed with AES-GCM under a key derived from DASHBOARD_ENCRYPTION_KEY
(HKDF-SHA256), the account's id bound to it: a sealed secret copied to another account's
row does not open. A code's step is stored as used in the same statement that checks
it was not (``use``): a replay is refused on every worker, and of two uses at once one
wins.
"""

from __future__ import annotations

import base64
import functools
import os
from datetime import datetime, timezone

import pyotp
import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dashboard import security, storage
from dashboard.config import current_config

STEP = 30
DIGITS = 6


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def seal(secret: str, accountid: str) -> str:
    nonce = os.urandom(12)
    sealed = _cipher(current_config().keys.encryption).encrypt(
        nonce, secret.encode(), accountid.encode()
    )
    return base64.b64encode(nonce + sealed).decode()


def unseal(sealed: str, accountid: str) -> str:
    raw = base64.b64decode(sealed)
    cipher = _cipher(current_config().keys.encryption)
    return cipher.decrypt(raw[:12], raw[12:], accountid.encode()).decode()


@functools.lru_cache(maxsize=4)
def _cipher(encryption_key: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"dashboard totp secret"
    ).derive(encryption_key.encode())
    return AESGCM(key)


def uri(secret: str, accountid: str) -> str:
    """The otpauth:// URI an authenticator app reads (by its QR code, or typed)."""
    issuer = current_config().appid
    return pyotp.TOTP(secret).provisioning_uri(name=accountid, issuer_name=issuer)


def qr_svg(text: str) -> str:
    """``text`` as a QR code, an SVG element for a page (no XML declaration)."""
    return str(segno.make(text, error="m").svg_inline(scale=4, title="QR code of the secret"))


def matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step, one either side of ``now``'s and later than ``after`` (the last one
    used), whose code ``code`` is; or None."""
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.replace(tzinfo=timezone.utc).timestamp()) // STEP  # now: naive UTC
    found = None
    for step in (current - 1, current, current + 1):  # each compared: no early answer
        if (after is None or step > after) and security.same(totp.generate_otp(step), code):
            found = step
    return found


def use(row: storage.Totp, step: int) -> bool:
    """Inside a write: mark ``step`` used on ``row``, unless it (or a later one) already
    was; whether this call did."""
    updated = (
        storage.Totp.update(last_used_step=step)
        .where(
            (storage.Totp.totpid == row.totpid)
            & (storage.Totp.last_used_step.is_null() | (storage.Totp.last_used_step < step))
        )
        .execute()
    )
    return bool(updated)


def of_account(appid: str, accountid: str, confirmed: bool) -> storage.Totp | None:
    """The account's confirmed authenticator, or (``confirmed`` False) its pending one."""
    condition = (storage.Totp.account == accountid) & (storage.Totp.appid == appid)
    if confirmed:
        condition &= storage.Totp.confirmed_at.is_null(False)
    else:
        condition &= storage.Totp.confirmed_at.is_null()
    return storage.Totp.get_or_none(condition)


def remove(appid: str, accountid: str) -> bool:
    """Inside a write: delete the account's authenticator app, confirmed or pending;
    whether it had one."""
    mine = (storage.Totp.account == accountid) & (storage.Totp.appid == appid)
    return bool(storage.Totp.delete().where(mine).execute())


def check(row: storage.Totp, code: str, now: datetime) -> bool:
    """Inside a write: whether ``code`` is a code of ``row`` not used before; its step
    is used up if it is."""
    secret = unseal(row.secret, row.__data__["account"])
    step = matching_step(secret, code, now, row.last_used_step)
    return step is not None and use(row, step)
