"""Passkeys (WebAuthn Level 2, DESIGN.md §15): a browser's credentials registered to an
account, and sign-ins proven by them; checked by the ``webauthn`` package.

Every ceremony starts with a challenge this server made (``options``): kept in the
database for CHALLENGE_SECONDS and taken once, by a conditional DELETE, by the answer
that signs it; a second use, on any worker, finds nothing. User verification (a PIN,
a fingerprint) is required, so that a passkey alone is a complete sign-in. A signature
counter that does not move forward is refused (the ``webauthn`` package checks it).

The relying party is WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS; in development without them,
the host each request came to (over http only on localhost, as browsers allow).
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import Any

import webauthn
from flask import has_request_context, request
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from dashboard import objects, security, storage
from dashboard.config import current_config
from dashboard.errors import ApiError
from dashboard.req import Req

CHALLENGE_SECONDS = 5 * 60
NAME_LENGTH = 50
DEFAULT_NAME = "Passkey"
MAXIMUM_CREDENTIAL = 100_000  # characters of a posted credential's JSON
REQUIRED = UserVerificationRequirement.REQUIRED


def relying_party() -> tuple[str, list[str]]:
    """The relying party's id and the origins its ceremonies may come from."""
    config = current_config()
    if config.webauthn_rp_id:
        return config.webauthn_rp_id, list(config.webauthn_origins)
    if not has_request_context():
        return "localhost", ["http://localhost"]
    return request.host.rsplit(":", 1)[0].strip("[]"), [f"{request.scheme}://{request.host}"]


def registration_options(account: storage.Account, username: str, now: datetime) -> dict[str, Any]:
    """Inside a write: options for a browser to make a passkey for ``account``, shown by
    the authenticator as ``username``; not one it has already."""
    rp_id, _ = relying_party()
    challenge = _give(account.appid, "register", account.accountid, now)
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=current_config().appid,
        user_id=account.accountid.encode(),
        user_name=username,
        challenge=challenge,
        timeout=CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=REQUIRED
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(row.credential_id))
            for row in of_account(account.appid, account.accountid)
        ],
    )
    result: dict[str, Any] = json.loads(webauthn.options_to_json(options))
    return result


def sign_in_options(appid: str, now: datetime) -> dict[str, Any]:
    """Inside a write: options for a browser to sign in with any passkey of this site
    (a discoverable credential: the authenticator offers the ones it holds)."""
    rp_id, _ = relying_party()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        challenge=_give(appid, "sign-in", None, now),
        timeout=CHALLENGE_SECONDS * 1000,
        user_verification=REQUIRED,
    )
    result: dict[str, Any] = json.loads(webauthn.options_to_json(options))
    return result


def verified_registration(appid: str, accountid: str, credential: str, now: datetime) -> Any:
    """Inside a write of its own (committed either way: the challenge is used up): what
    a browser's new ``credential`` (its JSON) registers for the account, checked against
    a challenge given to this account for it; or None."""
    try:
        parsed = _parsed(credential, webauthn.helpers.parse_registration_credential_json)
        challenge = _take(appid, "register", accountid, parsed, now)
    except ApiError:
        return None
    rp_id, origins = relying_party()
    try:
        return webauthn.verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origins,
            require_user_verification=True,
        )
    except WebAuthnException:
        return None


def add(account: storage.Account, verified: Any, name: str, now: datetime) -> Any:
    """Inside a write, on the account's locked row: the Passkey row of ``verified`` (a
    verified_registration); ``duplicate-passkey`` for a credential the site has."""
    credential_id = bytes_to_base64url(verified.credential_id)
    if storage.Passkey.select().where(_credential(account.appid, credential_id)).exists():
        raise ApiError("duplicate-passkey")
    return storage.Passkey.create(
        passkeyid=security.new_id("pkey"),
        appid=account.appid,
        account=account.accountid,
        credential_id=credential_id,
        public_key=bytes_to_base64url(verified.credential_public_key),
        sign_count=verified.sign_count,
        name=name,
        created_at=now,
        updated_at=now,
    )


def authenticate(appid: str, assertion: str, now: datetime) -> Any:
    """Inside a write: the Passkey row a browser's ``assertion`` (its JSON) proves, its
    counter and last use updated; or None. It must sign a sign-in challenge this server
    gave, unused and unexpired, with user verification."""
    try:
        parsed = _parsed(assertion, webauthn.helpers.parse_authentication_credential_json)
        challenge = _take(appid, "sign-in", None, parsed, now)
    except ApiError:
        return None
    row = storage.Passkey.get_or_none(_credential(appid, bytes_to_base64url(parsed.raw_id)))
    if row is None:
        return None
    rp_id, origins = relying_party()
    try:
        verified = webauthn.verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origins,
            credential_public_key=base64url_to_bytes(row.public_key),
            credential_current_sign_count=row.sign_count,
            require_user_verification=True,
        )
    except WebAuthnException:
        return None
    handle = parsed.response.user_handle
    if handle is not None and handle != row.__data__["account"].encode():
        return None  # the authenticator says the passkey is another account's
    # The counter it was checked against, still: of two uses at once, one moves it.
    moved = (
        storage.Passkey.update(sign_count=verified.new_sign_count, last_used_at=now, updated_at=now)
        .where(
            (storage.Passkey.passkeyid == row.passkeyid)
            & (storage.Passkey.sign_count == row.sign_count)
        )
        .execute()
    )
    return storage.Passkey.get_by_id(row.passkeyid) if moved else None


def posted_name(req: Req, default: str | None) -> str:
    """The posted name of a passkey (``default`` when none is posted, if there is one);
    ``invalid-name`` when empty, over NAME_LENGTH or not printable."""
    posted = (req.get("body") or {}).get("name")
    if posted is None and default is not None:
        return default
    name = (posted or "").strip()
    if not name or len(name) > NAME_LENGTH or not name.isprintable():
        raise ApiError("invalid-name")
    return name


def public(row: storage.Passkey) -> dict[str, Any]:
    return objects.public_passkey(storage.data(row))


def of_account(appid: str, accountid: str) -> Any:
    return storage.Passkey.select().where(
        (storage.Passkey.account == accountid) & (storage.Passkey.appid == appid)
    )


def remove(appid: str, accountid: str) -> int:
    """Inside a write: delete every passkey of the account; how many it had."""
    mine = (storage.Passkey.account == accountid) & (storage.Passkey.appid == appid)
    return int(storage.Passkey.delete().where(mine).execute())


def _credential(appid: str, credential_id: str) -> Any:
    return (storage.Passkey.appid == appid) & (storage.Passkey.credential_id == credential_id)


def _give(appid: str, purpose: str, accountid: str | None, now: datetime) -> bytes:
    # The expired ones go as new ones come: the table holds only the live ones.
    storage.Challenge.delete().where(storage.Challenge.expires_at <= now).execute()
    challenge = secrets.token_bytes(32)
    storage.Challenge.create(
        challenge=bytes_to_base64url(challenge),
        appid=appid,
        purpose=purpose,
        accountid=accountid,
        expires_at=now + timedelta(seconds=CHALLENGE_SECONDS),
        created_at=now,
        updated_at=now,
    )
    return challenge


def _take(appid: str, purpose: str, accountid: str | None, parsed: Any, now: datetime) -> bytes:
    # The challenge the browser signed, used up; of two answers with it, one finds it.
    try:
        client_data = parse_client_data_json(parsed.response.client_data_json)
    except WebAuthnException:
        raise ApiError("invalid-credential") from None
    given = (
        (storage.Challenge.challenge == bytes_to_base64url(client_data.challenge))
        & (storage.Challenge.appid == appid)
        & (storage.Challenge.purpose == purpose)
        & (storage.Challenge.expires_at > now)
    )
    if accountid is not None:
        given &= storage.Challenge.accountid == accountid
    if not storage.Challenge.delete().where(given).execute():
        raise ApiError("invalid-credential")
    return client_data.challenge


def _parsed(credential: str, parse: Any) -> Any:
    if len(credential) > MAXIMUM_CREDENTIAL:
        raise ApiError("invalid-credential")
    try:
        return parse(credential)
    except (WebAuthnException, ValueError, TypeError, KeyError, AttributeError):
        raise ApiError("invalid-credential") from None
