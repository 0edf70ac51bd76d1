"""A passkey authenticator in software, for the function and HTTP tests: what a browser
and its authenticator answer to WebAuthn options (P-256 keys, attestation "none",
discoverable credentials, user verification done). Chromium's own virtual authenticator
stands in for it in the browser tests."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

UP, UV, AT = 0x01, 0x04, 0x40  # authenticator data flags: user present, verified, key


@dataclass
class Credential:
    credential_id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


@dataclass
class Authenticator:
    """Holds credentials; ``counting``: its signature counter moves on each use (many
    platform authenticators keep none, and always say 0)."""

    origin: str = "http://localhost"
    counting: bool = True
    verifies_user: bool = True
    credentials: list[Credential] = field(default_factory=list)
    passkey: dict[str, Any] | None = None  # the API's Passkey of the last one it made

    def create(
        self, options: dict[str, Any], origin: str | None = None, same_id_as: int | None = None
    ) -> str:
        """navigator.credentials.create: the new credential's JSON (with the id of the
        ``same_id_as``-th one held, to try a duplicate)."""
        rp_id = options["rp"]["id"]
        reused = None if same_id_as is None else self.credentials[same_id_as].credential_id
        credential = Credential(
            reused or os.urandom(32),
            ec.generate_private_key(ec.SECP256R1()),
            rp_id,
            base64url_to_bytes(options["user"]["id"]),
        )
        self.credentials.append(credential)
        numbers = credential.key.public_key().public_numbers()
        cose = {
            1: 2,
            3: -7,
            -1: 1,
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }
        attested = (
            len(credential.credential_id).to_bytes(2, "big")
            + credential.credential_id
            + cbor2.dumps(cose)
        )
        auth_data = self._auth_data(credential, AT, bytes(16) + attested)
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return self._json(
            credential,
            {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
        )

    def get(self, options: dict[str, Any], origin: str | None = None, which: int = -1) -> str:
        """navigator.credentials.get: an assertion by the ``which``-th credential held."""
        credential = self.credentials[which]
        if self.counting:
            credential.sign_count += 1
        auth_data = self._auth_data(credential, 0, b"")
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = credential.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return self._json(
            credential,
            {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": bytes_to_base64url(credential.user_handle),
            },
        )

    def _auth_data(self, credential: Credential, flags: int, rest: bytes) -> bytes:
        flags |= UP | (UV if self.verifies_user else 0)
        return (
            hashlib.sha256(credential.rp_id.encode()).digest()
            + bytes([flags])
            + credential.sign_count.to_bytes(4, "big")
            + rest
        )

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin}
        return json.dumps({**data, "crossOrigin": False}).encode()

    @staticmethod
    def _json(credential: Credential, response: dict[str, Any]) -> str:
        identifier = bytes_to_base64url(credential.credential_id)
        return json.dumps(
            {
                "id": identifier,
                "rawId": identifier,
                "response": response,
                "type": "public-key",
                "clientExtensionResults": {},
                "authenticatorAttachment": "platform",
            }
        )
