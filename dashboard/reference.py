"""The routes' contracts, read from their modules: the one source of the API reference.

Each route module says, beside its functions: its URL, methods and purpose (the first
line of its docstring, ``PATCH /api/user/reset-session-key: end every session ...``),
``QUERY`` and ``BODY`` (name -> "required", "optional", "optional integer", or a tuple
of the values allowed), ``ERRORS`` (code -> the circumstance that raises it) and
``RETURNS`` (an object name, ``Name[]``, ``integer`` or ``true``). From these come the
HTTP routes (http.py), the OpenAPI document and the explorer pages (explorer.py), and
the tests that keep code, tests and reference in step (tests/test_reference.py).
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType
from typing import Any

from dashboard import limits
from dashboard.errors import STATUS

KINDS = ("user", "administrator", "gateway")  # gateway: /api/verify, not /api/gateway/...
METHODS = ("get", "post", "patch", "put", "delete")
BODY_METHODS = frozenset({"post", "patch", "put", "delete"})
DOCSTRING = re.compile(r"(?P<methods>[A-Z|]+) /api/(?P<path>[a-z/-]+): (?P<summary>.+)")
OBJECTS = ("Account", "Session", "Profile", "ResetCode", "Metric", "Identity")


@dataclass(frozen=True)
class Param:
    """One parameter a route receives, in the query string or the posted body."""

    name: str
    where: str  # "query" or "body"
    required: bool
    values: tuple[str, ...] = ()  # when only some values are allowed
    integer: bool = False

    @property
    def shown(self) -> str:
        """The explorer's Value column."""
        return ", ".join(self.values) or ("whole number" if self.integer else "")


@dataclass(frozen=True)
class Answer:
    """One error a route can answer with."""

    code: str
    status: int
    circumstance: str
    object: str = "error"  # "auth" for the 401 of a route that needs an account
    route_raises: bool = True  # False: the HTTP layer's, shared by routes like it


@dataclass(frozen=True)
class Route:
    kind: str
    module_name: str
    module: ModuleType = field(repr=False)
    methods: tuple[str, ...]
    summary: str
    params: tuple[Param, ...]
    errors: dict[str, str]
    returns: str
    auth: bool
    sets_cookies: bool
    verified: bool  # an administrator's dangerous write: needs a fresh verification
    headers: dict[str, str]  # answered over HTTP as these headers (result key -> header)

    @property
    def slug(self) -> str:
        return self.module_name.replace("_", "-")

    @property
    def name(self) -> str:
        """``user/create-session``; a gateway route's is its slug alone: ``verify``."""
        return self.slug if self.kind == "gateway" else f"{self.kind}/{self.slug}"

    @property
    def url(self) -> str:
        return f"/api/{self.name}"

    @property
    def source(self) -> str:
        return f"dashboard/api/{self.kind}/{self.module_name}.py"

    @property
    def test(self) -> str:
        return f"tests/api/{self.kind}/test_{self.module_name}.py"

    def call(self, method: str) -> str:
        """How Python calls it: ``dashboard.api.user.create_session.post(req)``."""
        return f"dashboard.api.{self.kind}.{self.module_name}.{method}(req)"

    def field_of(self, code: str) -> str | None:
        """The parameter that error ``code`` of this route is about, where there is one:
        the name it carries (invalid-<name>, invalid-<name>-length, duplicate-<name>),
        one of the route's declared parameters."""
        name = re.sub(r"^(invalid|duplicate)-|-length$", "", code)
        declared = {param.name for param in self.params}
        for each in (name, f"new-{name}", FIELDS.get(code)):
            if each in declared:
                return each
        return None

    @property
    def answers(self) -> list[Answer]:
        """Every error it can answer with: its own, then the HTTP layer's, by status."""
        found = [Answer(code, STATUS.get(code, 400), why) for code, why in self.errors.items()]
        body = bool(BODY_METHODS & set(self.methods))
        if body:
            found += [
                layer(
                    "invalid-request-body",
                    "a body that cannot be read (broken JSON, not an "
                    "object, values not strings, not UTF-8)",
                ),
                layer("invalid-request-size", "a body over MAXIMUM_POST_DATA_LENGTH"),
                layer("invalid-content-type", "a body neither urlencoded, multipart nor JSON"),
            ]
        if self.auth:
            found.append(auth("Sign in required", "no valid session in the request's credentials"))
        if self.kind == "administrator":
            found.append(auth("Administrator required", "signed in, not as an administrator"))
        if self.verified:
            found.append(
                auth(
                    "Verification required",
                    "the session was not signed in or verified within SESSION_VERIFICATION_DELAY",
                )
            )
        if self.auth and (body or self.kind == "gateway"):  # gateway: the forwarded method's
            found.append(
                layer(
                    "invalid-csrf-token",
                    "signed in by cookie, without the session's X-CSRF-Token header",
                )
            )
        if self.auth or self.sets_cookies:
            found.append(
                layer(
                    "invalid-origin",
                    "from another site's page, for the session cookies (not in ALLOWED_ORIGINS)",
                )
            )
        if self.name in limits.LIMITED_ROUTES:
            found.append(layer("rate-limited", "too many requests; Retry-After says when"))
        found += [
            layer("unknown-error", "anything unexpected (logged with the X-Request-Id)"),
            layer("storage-unavailable", "the database does not answer"),
        ]
        return sorted(found, key=lambda answer: answer.status)


# Codes whose parameter's name is not the one they carry.
FIELDS = {"invalid-reset-codeid": "codeid", "invalid-key": "keys"}


def layer(code: str, circumstance: str) -> Answer:
    return Answer(code, STATUS.get(code, 400), circumstance, route_raises=False)


def auth(message: str, circumstance: str) -> Answer:
    """An ``{"object": "auth"}`` answer: 401 to sign in, else 403."""
    status = 401 if message == "Sign in required" else 403
    return Answer(message, status, circumstance, "auth", route_raises=False)


@functools.cache
def routes() -> tuple[Route, ...]:
    """Every route, in URL order; read once."""
    found = []
    for kind in KINDS:
        package = importlib.import_module(f"dashboard.api.{kind}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if any(hasattr(module, method) for method in METHODS):
                found.append(_route(kind, info.name, module))
    return tuple(found)


def _route(kind: str, name: str, module: ModuleType) -> Route:
    methods = tuple(method for method in METHODS if hasattr(module, method))
    matched = DOCSTRING.match((module.__doc__ or "").strip())
    params = [
        _param(param, where, spec)
        for where, specs in (
            ("query", getattr(module, "QUERY", {})),
            ("body", getattr(module, "BODY", {})),
        )
        for param, spec in specs.items()
    ]
    return Route(
        kind=kind,
        module_name=name,
        module=module,
        methods=methods,
        summary=matched["summary"].rstrip(".") if matched else "",
        params=tuple(params),
        errors=dict(getattr(module, "ERRORS", {})),
        returns=getattr(module, "RETURNS", ""),
        auth=getattr(module, "AUTH", True),
        sets_cookies=getattr(module, "SETS_COOKIES", False),
        verified=getattr(module, "VERIFIED", False),
        headers=dict(getattr(module, "HEADERS", {})),
    )


def _param(name: str, where: str, spec: str | tuple[str, ...]) -> Param:
    if isinstance(spec, tuple):
        return Param(name, where, required=False, values=spec)
    return Param(name, where, required=spec == "required", integer=spec.endswith("integer"))


@functools.cache
def examples() -> dict[str, Any]:
    """What each route returned in a test run: ``{"user/create-session POST": {...}}``.

    Written by ``pytest --write-examples`` to dashboard/examples.json, and committed.
    """
    try:
        text = resources.files("dashboard").joinpath("examples.json").read_text("utf-8")
    except FileNotFoundError:
        return {}
    return json.loads(text)


def example_key(route: Route, method: str) -> str:
    return f"{route.name} {method.upper()}"


# OpenAPI 3.1 ------------------------------------------------------------------------

TIME = {"type": "string", "format": "date-time"}


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route."""
    paths: dict[str, Any] = {}
    for route in routes():
        paths[route.url] = {method: _operation(route, method) for method in route.methods}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Dashboard",
            "version": _version(),
            "description": "User accounts and sessions: sign-in, sessions and sign out "
            'everywhere. Every error is {"object": "error", "message": code} with the '
            "status shown; a route that needs an account answers 401 "
            '{"object": "auth", "message": "Sign in required"} without one.',
        },
        "paths": paths,
        "components": {"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES},
    }


def _version() -> str:
    try:
        return version("dashboard")
    except PackageNotFoundError:
        return "0"


def returns_schema(returns: str) -> dict[str, Any]:
    """The JSON Schema of what a route returns (RETURNS), with $refs to the components."""
    if returns == "true":
        return {"const": True}
    if returns == "integer":
        return {"type": "integer", "minimum": 0}
    if returns.endswith("[]"):
        return {"type": "array", "items": returns_schema(returns[:-2])}
    return {"$ref": f"#/components/schemas/{returns}"}


def _operation(route: Route, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": f"{route.kind}.{route.module_name}.{method}",
        "summary": route.summary,
        "tags": [route.kind],
        "parameters": [
            {"name": p.name, "in": "query", "required": p.required, "schema": _param_schema(p)}
            for p in route.params
            if p.where == "query"
        ],
        "responses": _responses(route, method),
        "security": [SECURITY[name] for name in SECURITY] if route.auth else [],
    }
    body = [p for p in route.params if p.where == "body"]
    if method in BODY_METHODS and body:
        schema = {
            "type": "object",
            "properties": {p.name: _param_schema(p) for p in body},
            "required": [p.name for p in body if p.required],
            "additionalProperties": {"type": "string"},  # others are ignored, but strings
        }
        operation["requestBody"] = {
            "required": any(p.required for p in body),
            "content": {kind: {"schema": schema} for kind in BODY_TYPES},
        }
    return operation


# Values that work, shown in the document (and tried first by tools that read it).
PARAM_EXAMPLES = {
    "username": "ada-lovelace",
    "password": "correct-horse-battery",
    "new-username": "ada-byron",
    "new-password": "a-longer-passphrase",
    "accountid": "acct_8ade86d209a151bd",
    "sessionid": "sess_59b0819fcddcdcaf",
}


def _param_schema(param: Param) -> dict[str, Any]:
    if param.values:
        return {"type": "string", "enum": list(param.values)}
    if param.integer:
        return {"type": "string", "pattern": "^[0-9]{1,9}$"}
    schema: dict[str, Any] = {"type": "string"}
    if param.required:
        schema["minLength"] = 1
    if param.name in PARAM_EXAMPLES:
        schema["examples"] = [PARAM_EXAMPLES[param.name]]
    return schema


def _responses(route: Route, method: str) -> dict[str, Any]:
    success: dict[str, Any] = {"schema": returns_schema(route.returns)}
    example = examples().get(example_key(route, method))
    if example is not None:
        success["example"] = example
    responses: dict[str, Any] = {
        "200": {"description": route.summary, "content": {"application/json": success}}
    }
    if route.headers:  # an empty body; what the route returns comes as headers
        properties = SCHEMAS[route.returns]["properties"]
        responses["200"] = {
            "description": route.summary,
            "headers": {
                header: {"required": True, "schema": _header_schema(properties[key])}
                for key, header in route.headers.items()
            },
        }
    by_status: dict[int, list[Answer]] = {}
    for answer in route.answers:
        by_status.setdefault(answer.status, []).append(answer)
    for status, answers in by_status.items():
        objects = sorted({answer.object for answer in answers})
        schemas = [
            {
                "type": "object",
                "properties": {
                    "object": {"const": kind},
                    "message": {"enum": [a.code for a in answers if a.object == kind]},
                    **({"field": FIELD} if kind == "error" else {}),
                },
                "required": ["object", "message"],
            }
            for kind in objects
        ]
        responses[str(status)] = {
            "description": "; ".join(f"{a.code}: {a.circumstance}" for a in answers),
            "content": {
                "application/json": {
                    "schema": schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
                }
            },
        }
        if status == 401:
            responses["401"]["headers"] = {"WWW-Authenticate": {"schema": {"const": "Bearer"}}}
        if status == 429:
            responses["429"]["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
    return responses


FIELD = {
    "type": "string",
    "description": "the parameter at fault, where one is: the query or body parameter an "
    "invalid-<name> or invalid-<name>-length code names, or the posted field whose value "
    "could not be read (invalid-request-body)",
}


def _header_schema(schema: dict[str, Any]) -> dict[str, Any]:
    # Over HTTP every value is text: a boolean is "true" or "false".
    if schema.get("type") == "boolean":
        return {"type": "string", "enum": ["true", "false"]}
    return schema


BODY_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")

SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "<sessionid>.<token>"},
    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
    "tokenCookie": {"type": "apiKey", "in": "cookie", "name": "token"},
    "applicationServer": {"type": "apiKey", "in": "header", "name": "X-Application-Server-Token"},
    "serverAccount": {"type": "apiKey", "in": "header", "name": "X-Accountid"},
    "serverSession": {"type": "apiKey", "in": "header", "name": "X-Sessionid"},
}
SECURITY = {
    "bearer": {"bearer": []},
    "cookies": {"sessionCookie": [], "tokenCookie": []},
    "application server": {"applicationServer": [], "serverAccount": [], "serverSession": []},
}


def _object(kind: str, idname: str, properties: dict[str, Any], required: list[str]) -> dict:
    prefix = {"accountid": "acct", "sessionid": "sess", "profileid": "prof"}.get(idname, "code")
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
                "enum": ["Sign in required", "Administrator required", "Verification required"]
            },
        },
        "required": ["object", "message"],
    },
}
