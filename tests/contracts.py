"""A pytest plugin that holds every route to its declared contract for the whole run.

Each route function is wrapped while the suite runs. The test that made a route raise an
error its ERRORS do not declare, or return what its RETURNS schema does not allow,
fails. After a run of the whole suite, a declared error that no test provoked fails the
run. ``pytest --write-examples`` writes what the routes returned into
dashboard/examples.json, the explorer's and the OpenAPI document's examples.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dashboard import openapi, reference, schemas
from dashboard.errors import ApiError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "dashboard" / "examples.json"

raised: dict[str, set[str]] = {}  # route name -> the codes its functions raised
returned: dict[str, list[tuple[str, Any]]] = {}  # "route METHOD" -> [(test id, result)]
broken: list[str] = []  # what the current test made a route do against its contract
current = {"test": ""}
deselected = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--write-examples",
        action="store_true",
        help="write what each route returned into dashboard/examples.json",
    )


@pytest.fixture(autouse=True, scope="session")
def routes_held_to_their_contracts() -> Any:
    kept = [
        (route.module, method, getattr(route.module, method))
        for route in reference.routes()
        for method in route.methods
    ]
    for route in reference.routes():
        for method in route.methods:
            setattr(route.module, method, _kept(route, method, getattr(route.module, method)))
    yield
    for module, method, function in kept:
        setattr(module, method, function)


@pytest.fixture(autouse=True)
def contract_kept_by_this_test(request: pytest.FixtureRequest) -> Any:
    current["test"] = request.node.nodeid
    before = len(broken)
    yield
    if len(broken) > before:
        pytest.fail("; ".join(broken[before:]), pytrace=False)


def _kept(route: reference.Route, method: str, function: Any) -> Any:
    validator = _validator(route.returns)

    @functools.wraps(function)
    def run(req: dict[str, Any]) -> Any:
        try:
            result = function(req)
        except ApiError as error:
            raised.setdefault(route.name, set()).add(error.code)
            if error.code not in route.errors:
                broken.append(f"{route.name} raised {error.code!r}, not in its ERRORS")
            raise
        problems = [e.message for e in validator.iter_errors(result)]
        if problems:
            broken.append(f"{route.name} returned what RETURNS does not allow: {problems}")
        returned.setdefault(openapi.example_key(route, method), []).append(
            (current["test"], copy.deepcopy(result))
        )
        return result

    return run


@functools.cache
def _validator(returns: str) -> jsonschema.protocols.Validator:
    schema = {
        **openapi.returns_schema(returns),
        "components": {"schemas": schemas.SCHEMAS},
    }
    return jsonschema.Draft202012Validator(schema)


def pytest_deselected(items: list[pytest.Item]) -> None:
    deselected.extend(items)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """With pytest-xdist: what one worker's routes raised and returned, gathered here."""
    output = getattr(node, "workeroutput", {})
    for name, codes in output.get("contracts_raised", {}).items():
        raised.setdefault(name, set()).update(codes)
    for key, results in output.get("contracts_returned", {}).items():
        returned.setdefault(key, []).extend(tuple(result) for result in results)
    deselected.extend([None] * output.get("contracts_deselected", 0))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: its controller judges the run
        workeroutput["contracts_raised"] = {name: sorted(codes) for name, codes in raised.items()}
        workeroutput["contracts_returned"] = returned
        workeroutput["contracts_deselected"] = len(deselected)
        return
    if not _whole_suite(session):
        return
    unprovoked = [
        f"{route.name}: {code}"
        for route in reference.routes()
        for code in route.errors
        if code not in raised.get(route.name, set())
    ]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if unprovoked:
        if reporter is not None:
            reporter.write_line(
                "declared errors that no test provoked: " + ", ".join(unprovoked), red=True
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if session.config.getoption("--write-examples"):
        EXAMPLES.write_text(json.dumps(_examples(), indent=1, ensure_ascii=False) + "\n", "utf-8")
        if reporter is not None:
            reporter.write_line(f"wrote {EXAMPLES.relative_to(ROOT)}")


def _whole_suite(session: pytest.Session) -> bool:
    """Whether every test was selected and ran: only then is 'never provoked' news."""
    option = session.config.option
    arguments = [Path(argument).resolve() for argument in session.config.args]
    return (
        not option.collectonly
        and not option.keyword
        and not option.markexpr
        and not deselected
        and not session.shouldstop
        and not session.shouldfail
        and all(argument in (ROOT, ROOT / "tests") for argument in arguments)
    )


def _examples() -> dict[str, Any]:
    """One result per route and method: a TestReturns test's of the route's own test
    module first (test_object first), on SQLite."""
    tests = {openapi.example_key(r, m): r.test for r in reference.routes() for m in r.methods}
    return {
        key: min(candidates, key=lambda candidate: _rank(candidate[0], tests[key]))[1]
        for key, candidates in sorted(returned.items())
    }


def _rank(test: str, route_test: str) -> tuple:
    return (
        not test.startswith(route_test),
        "::TestReturns::" not in test,
        "::test_object" not in test,
        "[sqlite" not in test,
        test,
    )
