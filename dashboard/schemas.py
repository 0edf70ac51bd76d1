"""The JSON Schemas of the objects the API returns (OpenAPI components), and of errors.

Every object schema allows nothing but its fields: a secret that leaked into an object
would break it (tests/contracts.py validates every answer of the suite against these).
"""

from __future__ import annotations

from typing import Any

TIME = {"type": "string", "format": "date-time"}


def _object(
    kind: str, idname: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    prefixes = {
        "accountid": "acct",
        "sessionid": "sess",
        "profileid": "prof",
        "auditid": "audt",
        "passkeyid": "pkey",
    }
    prefix = prefixes.get(idname, "code")
    return {
        "type": "object",
        "properties": {
            idname: {"type": "string", "pattern": f"^{prefix}_[0-9a-f]{{16}}$"},
            "object": {"const": kind},
            "appid": {"type": "string"},
            **properties,
            "createdAt": TIME,
            "updatedAt": TIME,
        },
        "required": [idname, "object", "appid", *required, "createdAt", "updatedAt"],
        # nothing else: a secret that leaked into an object would break its schema
        "additionalProperties": False,
    }


SCHEMAS: dict[str, Any] = {
    "Account": _object(
        "account",
        "accountid",
        {
            "sessionKeyNumber": {"type": "integer", "minimum": 1},
            "sessionKeyLastResetAt": TIME,
            "lastSignedInAt": TIME,
            "passwordLastChangedAt": TIME,
            "usernameLastChangedAt": TIME,
            "deletedAt": TIME,
            "ownerSince": TIME,
            "administratorSince": TIME,
            "owner": {"const": True},
            "administrator": {"const": True},
            "profileid": {"type": ["string", "null"]},
            "resetCodeLastCreatedAt": TIME,
            "resetCodeLastUsedAt": TIME,
            "secondFactors": {
                "type": "array",
                "items": {"enum": ["totp", "passkey"]},
                "uniqueItems": True,
                "description": "the kinds of second factor it has; empty when none",
            },
        },
        ["sessionKeyNumber", "profileid"],
    ),
    "Session": _object(
        "session",
        "sessionid",
        {
            "accountid": {"type": "string", "pattern": "^acct_[0-9a-f]{16}$"},
            "duration": {"enum": [1200, 28800, 2592000]},
            "csrfToken": {
                "type": "string",
                "pattern": "^[0-9a-f]{64}$",
                "description": "the session holder's alone: never in an administrator's view",
            },
            "expiresAt": TIME,
            "lastVerifiedAt": TIME,
            "endedAt": TIME,
            "ended": {"oneOf": [{"const": False}, TIME]},
            "sessionKeyNumber": {"type": "integer", "minimum": 1},
            "ipAddress": {"type": "string"},
            "userAgent": {"type": "string"},
            "token": {
                "type": "string",
                "pattern": "^[0-9a-f]{64}$",
                "description": "create-session only, and not with cookie-only=true",
            },
            "secondFactorRequired": {
                "const": True,
                "description": "its sign-in waits for a second factor: it authenticates "
                "nothing but user/complete-session until then",
            },
        },
        [
            "accountid",
            "duration",
            "expiresAt",
            "lastVerifiedAt",
            "ended",
            "sessionKeyNumber",
        ],
    ),
    "Profile": _object(
        "profile",
        "profileid",
        {
            "accountid": {"type": "string", "pattern": "^acct_[0-9a-f]{16}$"},
            **{
                name: {"type": "string"}
                for name in (
                    "fullName",
                    "contactEmail",
                    "displayEmail",
                    "displayName",
                    "companyName",
                    "dob",
                    "phone",
                    "occupation",
                    "location",
                    "website",
                )
            },
        },
        ["accountid"],
    ),
    "ResetCode": _object(
        "resetCode",
        "codeid",
        {
            "accountid": {"type": "string", "pattern": "^acct_[0-9a-f]{16}$"},
            "secretCode": {
                "type": "string",
                "pattern": "^[0-9a-f]{40}$",
                "description": "create-reset-code only, when the server chose the code",
            },
        },
        ["accountid"],
    ),
    "Totp": {
        "type": "object",
        "description": "an authenticator app waiting for its first code: the secret, shown once",
        "properties": {
            "totpid": {"type": "string", "pattern": "^totp_[0-9a-f]{16}$"},
            "object": {"const": "totp"},
            "secret": {"type": "string", "pattern": "^[A-Z2-7]{32}$"},
            "otpauthUri": {"type": "string", "pattern": "^otpauth://totp/"},
            "qrSvg": {"type": "string", "pattern": "^<svg "},
        },
        "required": ["totpid", "object", "secret", "otpauthUri", "qrSvg"],
        "additionalProperties": False,
    },
    "Passkey": _object(
        "passkey",
        "passkeyid",
        {
            "accountid": {"type": "string", "pattern": "^acct_[0-9a-f]{16}$"},
            "name": {"type": "string", "minLength": 1, "maxLength": 50},
            "lastUsedAt": TIME,
        },
        ["accountid", "name"],
    ),
    "PasskeyOptions": {
        "type": "object",
        "description": "WebAuthn options as JSON (binary values in base64url), for the "
        "browser's navigator.credentials.create (publicKey: rp, user, ...) or .get (rpId, "
        "allowCredentials empty: any passkey of this site); the challenge is good once, "
        "for 5 minutes",
        "properties": {
            "challenge": {"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"},
            "timeout": {"type": "integer"},
            "rp": {"type": "object"},
            "rpId": {"type": "string"},
            "user": {"type": "object"},
            "userVerification": {"const": "required"},
        },
        "required": ["challenge", "timeout"],
    },
    "Audit": _object(
        "audit",
        "auditid",
        {
            "administratorid": {
                "type": ["string", "null"],
                "pattern": "^acct_[0-9a-f]{16}$",
                "description": "who wrote; null: an operator at the command line",
            },
            "action": {
                "type": "string",
                "description": "the administrator route (reset-session-key ...) or the "
                "operator's command (set-owner ...)",
            },
            "accountid": {
                "type": "string",
                "pattern": "^acct_[0-9a-f]{16}$",
                "description": "the account written to; kept after that account is deleted",
            },
            "sessionid": {"type": "string", "pattern": "^sess_[0-9a-f]{16}$"},
            "ipAddress": {"type": "string"},
        },
        ["administratorid", "action", "accountid"],
    ),
    "Metric": {
        "type": "object",
        "properties": {
            "object": {"const": "metric"},
            "appid": {"type": "string"},
            "name": {"type": "string"},
            "dateKey": {"type": "string", "pattern": "^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|total)$"},
            "value": {"type": "integer", "minimum": 0},
        },
        "required": ["object", "appid", "name", "dateKey", "value"],
        "additionalProperties": False,
    },
    "Identity": {
        "type": "object",
        "description": "Who signed in a request: /api/verify answers it as headers",
        "properties": {
            "accountid": {"type": "string", "pattern": "^acct_[0-9a-f]{16}$"},
            "sessionid": {"type": "string", "pattern": "^sess_[0-9a-f]{16}$"},
            "administrator": {"type": "boolean"},
            "sessionVerifiedAt": TIME,
        },
        "required": ["accountid", "sessionid", "administrator", "sessionVerifiedAt"],
        "additionalProperties": False,
    },
    "Error": {
        "type": "object",
        "properties": {
            "object": {"const": "error"},
            "message": {"type": "string"},
            "field": {"type": "string"},
        },
        "required": ["object", "message"],
    },
    "Auth": {
        "type": "object",
        "properties": {
            "object": {"const": "auth"},
            "message": {
                "enum": [
                    "Sign in required",
                    "Administrator required",
                    "Verification required",
                    "Second factor required",
                ]
            },
        },
        "required": ["object", "message"],
    },
}
