"""The OpenAPI 3.1 document of every route, from their declarations (reference.py).

Built once per process (``document``, ``text``): it is some 300 KB, and every app of
the process serves the same one (/api/openapi.json, the explorer).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from dashboard.reference import BODY_METHODS, Answer, Param, Route, routes
from dashboard.schemas import SCHEMAS


@functools.cache
def examples() -> dict[str, Any]:
    """What each route returned in a test run: ``{"user/create-session POST": {...}}``.

    Written by ``pytest --write-examples`` to dashboard/examples.json, and committed.
    """
    try:
        text = resources.files("dashboard").joinpath("examples.json").read_text("utf-8")
    except FileNotFoundError:
        return {}
    found: dict[str, Any] = json.loads(text)
    return found


def example_key(route: Route, method: str) -> str:
    return f"{route.name} {method.upper()}"


@functools.cache
def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route; made once. Read it, never change it."""
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


@functools.cache
def text() -> str:
    """The document as served: JSON, one space of indent."""
    return json.dumps(document(), indent=1)


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
SECURITY: dict[str, dict[str, list[str]]] = {
    "bearer": {"bearer": []},
    "cookies": {"sessionCookie": [], "tokenCookie": []},
    "application server": {"applicationServer": [], "serverAccount": [], "serverSession": []},
}
