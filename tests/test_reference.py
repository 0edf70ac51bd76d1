"""The API reference: every route declares its contract, and the OpenAPI document, the
explorer pages and the static docs are made from those declarations alone.

(tests/contracts.py holds the routes to their declarations while the suite runs.)"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from dashboard import openapi, reference
from tests.contracts import ROOT, _validator

ROUTES = reference.routes()
OPERATIONS = [(route, method) for route in ROUTES for method in route.methods]
CODE = re.compile(r"^(invalid|duplicate|maximum|registration)-[a-z]+(-[a-z]+)*$")


def by_name(route):
    return route.name


class TestDeclarations:
    @pytest.mark.parametrize("route", ROUTES, ids=by_name)
    def test_docstring_names_the_url_the_methods_and_the_purpose(self, route):
        matched = reference.DOCSTRING.match(route.module.__doc__)
        assert matched, f"{route.source}: the docstring starts 'METHOD {route.url}: purpose'"
        assert matched["path"] == route.name
        assert matched["methods"].lower().split("|") == list(route.methods)
        assert route.summary

    @pytest.mark.parametrize("route", ROUTES, ids=by_name)
    def test_errors_are_codes_with_circumstances(self, route):
        # declared even when empty: a route whose input cannot be wrong says so
        assert isinstance(getattr(route.module, "ERRORS", None), dict), route.source
        for code, circumstance in route.errors.items():
            assert CODE.match(code), code
            assert circumstance and circumstance == circumstance.strip()

    @pytest.mark.parametrize("route", ROUTES, ids=by_name)
    def test_returns_is_an_object_a_list_or_a_value(self, route):
        kind = route.returns.removesuffix("[]")
        assert kind in (*reference.OBJECTS, "integer", "true"), route.returns

    @pytest.mark.parametrize("route", ROUTES, ids=by_name)
    def test_parameters_use_the_known_words(self, route):
        for where in ("QUERY", "BODY"):
            for name, spec in getattr(route.module, where, {}).items():
                assert isinstance(spec, tuple) or spec in (
                    "required",
                    "optional",
                    "optional integer",
                ), f"{route.source}: {where}[{name!r}] = {spec!r}"

    @pytest.mark.parametrize("route", ROUTES, ids=by_name)
    def test_has_its_test_module(self, route):
        assert (ROOT / route.test).exists()


class TestOpenApi:
    def test_is_a_valid_openapi_3_1_document(self):
        document = openapi.document()
        validate(document)
        assert document["openapi"] == "3.1.0"

    def test_served_as_json(self, client):
        response = client.get("/api/openapi.json")
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.json == json.loads(json.dumps(openapi.document()))

    def test_built_once_per_process_whatever_the_apps(self, make_app, monkeypatch):
        served = openapi.text()

        def built_again(*args: Any) -> None:
            pytest.fail("the document was built again")

        monkeypatch.setattr(openapi, "_operation", built_again)
        for app in (make_app(), make_app()):
            answered = app.test_client().get("/api/openapi.json")
            assert answered.get_data(as_text=True) == served

    @pytest.mark.parametrize(("route", "method"), OPERATIONS, ids=str)
    def test_every_operation_with_every_error_and_its_status(self, route, method):
        operation = openapi.document()["paths"][route.url][method]
        for answer in route.answers:
            content = operation["responses"][str(answer.status)]["content"]["application/json"]
            schemas = content["schema"].get("oneOf", [content["schema"]])
            messages = [code for s in schemas for code in s["properties"]["message"]["enum"]]
            assert answer.code in messages
            if answer.object == "error":  # an error may name the parameter at fault
                errors = [s for s in schemas if s["properties"]["object"]["const"] == "error"]
                assert errors[0]["properties"]["field"]["type"] == "string"

    def test_the_field_an_error_names_is_a_declared_parameter(self):
        fields = {
            (route.name, code): route.field_of(code) for route in ROUTES for code in route.errors
        }
        assert fields[("user/create-session", "invalid-remember")] == "remember"
        assert fields[("user/set-account-username", "duplicate-username")] == "new-username"
        assert fields[("user/reset-code", "invalid-reset-codeid")] == "codeid"
        assert fields[("user/reset-account-password", "invalid-reset-code")] is None
        assert fields[("user/account", "invalid-account")] is None
        for (name, _), field in fields.items():
            route = next(route for route in ROUTES if route.name == name)
            assert field is None or field in {param.name for param in route.params}

    @pytest.mark.parametrize(("route", "method"), OPERATIONS, ids=str)
    def test_request_bodies_in_all_three_types(self, route, method):
        operation = openapi.document()["paths"][route.url][method]
        body = [param for param in route.params if param.where == "body"]
        if body:
            assert set(operation["requestBody"]["content"]) == set(openapi.BODY_TYPES)
        else:
            assert "requestBody" not in operation

    def test_security_schemes_for_bearer_cookies_and_application_server(self):
        schemes = openapi.document()["components"]["securitySchemes"]
        assert schemes["bearer"]["scheme"] == "bearer"
        assert {schemes[n]["name"] for n in ("sessionCookie", "tokenCookie")} == {
            "sessionid",
            "token",
        }
        assert schemes["applicationServer"]["name"] == "X-Application-Server-Token"

    def test_objects_have_schemas(self):
        schemas = openapi.document()["components"]["schemas"]
        assert {*reference.OBJECTS, "Error", "Auth"} <= set(schemas)


class TestExamples:
    @pytest.mark.parametrize(("route", "method"), OPERATIONS, ids=str)
    def test_every_operation_has_a_committed_example_that_fits_its_schema(self, route, method):
        example = openapi.examples().get(openapi.example_key(route, method))
        assert example is not None, "run: pytest --write-examples"
        assert not list(_validator(route.returns).iter_errors(example))

    def test_no_administrators_example_shows_a_csrf_token(self):
        # written by a run of the current code: an administrator never sees one
        for route, method in OPERATIONS:
            if route.kind == "administrator":
                example = openapi.examples()[openapi.example_key(route, method)]
                assert "csrfToken" not in json.dumps(example), route.name


class Links(HTMLParser):
    """The links and the text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("href", "src") and value]

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


class TestExplorer:
    def test_index_lists_every_route(self, client):
        response = client.get("/api/explorer/")
        assert response.status_code == 200
        page = parsed(response.get_data(as_text=True))
        for route in ROUTES:
            assert route.name in page.links
            assert route.url in page.text

    @pytest.mark.parametrize("route", ROUTES, ids=by_name)
    def test_a_page_per_route_with_the_reference_sections(self, client, route):
        response = client.get(f"/api/explorer/{route.name}")
        assert response.status_code == 200
        text = " ".join(parsed(response.get_data(as_text=True)).text)
        for method in route.methods:
            assert f"{route.url} ({method.upper()})" in text
            assert route.call(method) in text
            example = openapi.examples()[openapi.example_key(route, method)]
            assert json.dumps(example, indent=2, ensure_ascii=False) in text
        for section in ("Returns", "Receives", "Exceptions", route.source, route.test):
            assert section in text
        for param in route.params:
            assert param.name in text
        for answer in route.answers:
            assert answer.code in text and answer.circumstance in text

    def test_nothing_from_elsewhere_and_a_policy_that_says_so(self, client):
        for url in ("/api/explorer/", "/api/explorer/user/create-session"):
            response = client.get(url)
            assert not [
                link for link in parsed(response.get_data(as_text=True)).links if "//" in link
            ]
            assert response.headers["Content-Security-Policy"] == (
                "default-src 'none'; style-src 'self'; frame-ancestors 'none'"
            )
        assert client.get("/api/explorer/style.css").mimetype == "text/css"

    def test_unknown_route_page_is_404(self, client):
        response = client.get("/api/explorer/user/nowhere")
        assert (response.status_code, response.json["message"]) == (404, "invalid-route")


class TestStaticDocs:
    def test_docs_command_writes_every_page_with_working_links(self, app, tmp_path):
        folder = tmp_path / "docs"
        result = app.test_cli_runner().invoke(args=["dashboard", "docs", str(folder)])
        assert result.exit_code == 0, result.output
        pages = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))
        assert pages == sorted(["index.html", *(f"{route.name}.html" for route in ROUTES)])
        assert json.loads((folder / "openapi.json").read_text()) == json.loads(
            json.dumps(openapi.document())
        )
        for page in folder.rglob("*.html"):
            for link in parsed(page.read_text()).links:
                assert (page.parent / link).resolve().is_file(), f"{page}: {link}"

    def test_served_and_static_pages_say_the_same(self, app, client, tmp_path):
        app.test_cli_runner().invoke(args=["dashboard", "docs", str(tmp_path)])
        served = parsed(client.get("/api/explorer/user/create-session").get_data(as_text=True))
        written = parsed(Path(tmp_path / "user" / "create-session.html").read_text())
        assert served.text == written.text
