"""The OpenAPI document, fuzzed: schemathesis sends what the document allows (and what it
does not) to the app, in-process, signed out and signed in. No answer may be a 5xx, and
every answer must be one the document describes: status, content type, headers, schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dashboard import create_app, databases, reference
from dashboard.config import Config
from tests.conftest import ENCRYPTION_KEY, SESSION_KEY

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=40,  # per operation: the run takes seconds, not minutes
    derandomize=True,  # seeded: the same cases every run
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzzed")
    config = Config(
        encryption_key=ENCRYPTION_KEY,
        session_key=SESSION_KEY,
        database_url=f"sqlite:///{folder / 'fuzzed.sqlite3'}",
        bcrypt_workload_factor=4,
        ratelimit_enabled=False,
    )
    app = create_app(config, instance_path=str(folder))
    yield app
    databases.close_all(app.extensions["dashboard"].database)


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", fuzzed_app)


def signed_in(fuzzed_app) -> dict[str, str]:
    """A fresh signed-in caller: the fuzzing may end any session it reaches."""
    client = fuzzed_app.test_client()
    credentials = {"username": "fuzzed-user", "password": "fuzzed-password"}
    client.post("/api/user/create-account", json=credentials)
    session = client.post("/api/user/create-session", json=credentials).json
    return {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}


@pytest.mark.parametrize("caller", ["signed out", "signed in"])
@pytest.mark.parametrize(
    ("url", "method"),
    [(route.url, method.upper()) for route in reference.routes() for method in route.methods],
)
def test_every_operation(api_schema, fuzzed_app, caller, url, method):
    headers = signed_in(fuzzed_app) if caller == "signed in" else {}

    operation = api_schema[url][method]
    cases = strategies.one_of(
        *operation.get_strategies_from_examples(),  # the document's own example values
        operation.as_strategy(),  # what the document allows
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),  # and what it does not
    )

    @BOUNDED
    @given(case=cases)
    def fuzz(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()
