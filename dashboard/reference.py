"""The routes' contracts, read from their modules: the one source of the API reference.

Each route module says, beside its functions: its URL, methods and purpose (the first
line of its docstring, ``PATCH /api/user/reset-session-key: end every session ...``),
``QUERY`` and ``BODY`` (name -> "required", "optional", "optional integer", or a tuple
of the values allowed), ``ERRORS`` (code -> the circumstance that raises it),
``RETURNS`` (an object name, ``Name[]``, ``integer`` or ``true``), and where they are
not the defaults: ``AUTH`` (False: no account needed), ``SECOND_STEP`` (takes a
session that waits for its second factor), ``SETS_COOKIES``, ``VERIFIED``
(an administrator's dangerous write), ``LIMITS`` (the rate limits of limits.py it
counts against), ``HEADERS`` (answered as headers, not JSON) and ``KEPT`` (a GET whose
answer is made of rows alone, which the gateway may answer again from memory:
answers.py). From these come the
HTTP routes (http.py), the OpenAPI document and the explorer pages (explorer.py), and
the tests that keep code, tests and reference in step (tests/test_reference.py).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from types import ModuleType

from dashboard.errors import STATUS

KINDS = ("user", "administrator", "gateway")  # gateway: /api/verify, not /api/gateway/...
METHODS = ("get", "post", "patch", "put", "delete")
BODY_METHODS = frozenset({"post", "patch", "put", "delete"})
DOCSTRING = re.compile(r"(?P<methods>[A-Z|]+) /api/(?P<path>[a-z/-]+): (?P<summary>.+)")
OBJECTS = (
    "Account",
    "Session",
    "Profile",
    "ResetCode",
    "Totp",
    "Passkey",
    "PasskeyOptions",
    "Audit",
    "Metric",
    "Identity",
)


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
    limits: tuple[str, ...]  # the rate limits it counts against (limits.LIMITS)
    second_step: bool = False  # takes a session whose sign-in waits for its second factor
    kept: bool = False  # its GET's answer may be kept (answers.py)

    @property
    def before_flask(self) -> bool:
        """Whether its GETs may be answered before Flask (gateway.py): it changes
        nothing and has no rate limit, which flask-limiter counts inside Flask. /api/verify
        is always; the others in the service, where the app is Dashboard's alone."""
        return self.kind == "gateway" or (self.methods == ("get",) and not self.limits)

    def verb(self, method: str) -> str:
        """The function that answers an HTTP ``method``: HEAD is a GET without its body; a
        gateway route answers for the request a proxy forwards, whatever its method."""
        if method == "HEAD" or self.kind == "gateway":
            return "get"
        return method.lower()

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
        if self.auth and not self.second_step:
            found.append(
                auth(
                    "Second factor required",
                    "the session's sign-in waits for its second factor (user/complete-session)",
                    401,
                )
            )
        if self.kind == "administrator":
            found.append(auth("Administrator required", "signed in, not as an administrator"))
            found.append(
                auth(
                    "Second factor required",
                    "REQUIRE_ADMINISTRATOR_SECOND_FACTOR=true, and the administrator has none",
                )
            )
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
        if self.limits:
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


def auth(message: str, circumstance: str, status: int | None = None) -> Answer:
    """An ``{"object": "auth"}`` answer: 401 to sign in, else 403 (or ``status``)."""
    status = status or (401 if message == "Sign in required" else 403)
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
        limits=tuple(getattr(module, "LIMITS", ())),
        second_step=getattr(module, "SECOND_STEP", False),
        kept=getattr(module, "KEPT", False),
    )


def _param(name: str, where: str, spec: str | tuple[str, ...]) -> Param:
    if isinstance(spec, tuple):
        return Param(name, where, required=False, values=spec)
    return Param(name, where, required=spec == "required", integer=spec.endswith("integer"))
