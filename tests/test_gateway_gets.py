"""The service answers the API's GET routes before Flask (gateway.py): exactly as the
routes' Flask views answer them, byte for byte, and only where nothing else should see
the request."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from werkzeug.test import EnvironBuilder

from dashboard import Dashboard, gateway, reference
from tests.api.gateway.test_verify import cookie_sign_in

GETS = [route for route in reference.routes() if route.kind != "gateway" and "get" in route.methods]


def the_gateway(app) -> gateway.Gateway:
    found = app.wsgi_app
    while not isinstance(found, gateway.Gateway):
        found = found.app  # ProxyFix
    return found


def answer(wsgi, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    started: list[Any] = []
    body = b"".join(
        wsgi(
            dict(environ), lambda status, headers, exc_info=None: started.append((status, headers))
        )
    )
    status, headers = started[0]
    return status, sorted(headers), body


def environ(path: str, query: dict[str, str] | str, method: str = "GET", **headers: str):
    built = EnvironBuilder(path=path, method=method, query_string=query, headers=headers)
    return built.get_environ()


@pytest.fixture
def objects(user, create_profile, create_code):
    """Every id a GET route's query can name, all the user's own."""
    return {
        "accountid": user.account["accountid"],
        "sessionid": user.session["sessionid"],
        "profileid": create_profile(user)["profileid"],
        "codeid": create_code(user)["codeid"],
        "keys": "accounts-created/total,sessions-created/total",
    }


def query_of(route: reference.Route, objects: dict[str, str]) -> dict[str, str]:
    return {param.name: objects[param.name] for param in route.params if param.name in objects}


def bearer(user) -> str:
    return f"Bearer {user.session['sessionid']}.{user.session['token']}"


@pytest.mark.parametrize("route", GETS, ids=lambda route: route.name)
def test_every_get_route_answers_as_its_flask_view(
    app, client, user, administrator, objects, route
):
    cookie_sign_in(client, user)
    cookie = "; ".join(f"{name}={client.get_cookie(name).value}" for name in ("sessionid", "token"))
    cases = [
        ({}, {}),  # signed out
        ({}, {"Authorization": bearer(user)}),  # the user's own, query missing
        (query_of(route, objects), {"Authorization": bearer(user)}),
        (query_of(route, objects), {"Authorization": bearer(administrator)}),
        (
            {**query_of(route, objects), "limit": "x", "offset": "-1"},
            {"Authorization": bearer(administrator)},
        ),
        ("accountid=%ff&sessionid=%ff", {"Authorization": bearer(administrator)}),  # not UTF-8
        ({}, {"Authorization": "Bearer sess_0000000000000000.forged"}),
        ({}, {"Cookie": "sessionid=sess_0000000000000000; token=unknown"}),
        (query_of(route, objects), {"Cookie": cookie}),  # the browser's own page
        ({}, {"Cookie": cookie, "Origin": "https://elsewhere.example"}),
        (query_of(route, objects), {"Cookie": cookie, "Origin": "http://localhost"}),  # its host
        ({}, {"Cookie": cookie, "Host": "bad host", "Origin": "http://bad host"}),
    ]
    fast = the_gateway(app)
    statuses = set()
    for method in ("GET", "HEAD"):
        for query, headers in cases:
            asked = environ(route.url, query, method, **headers)
            answered = answer(fast, asked)
            assert answered == answer(fast.wsgi_app, asked), (query, headers)
            statuses.add(answered[0])
    assert {"200", "401", "403"} <= {status[:3] for status in statuses}


def test_cookie_rules_apply(app, client, user):
    cookie_sign_in(client, user)
    path = "/api/user/current-session"
    assert client.get(path).status_code == 200
    foreign = client.get(path, headers={"Sec-Fetch-Site": "cross-site"})
    assert foreign.status_code == 403
    assert foreign.json == {"object": "error", "message": "invalid-origin"}


def test_answered_before_flask_in_the_service(app, client, user):
    hooked = []
    app.before_request(lambda: hooked.append("flask"))
    answered = client.get("/api/user/current-session", headers={"Authorization": bearer(user)})
    assert answered.status_code == 200
    assert answered.json["sessionid"] == user.session["sessionid"]
    assert hooked == []
    assert (
        client.patch(
            "/api/user/set-session-verified", headers={"Authorization": bearer(user)}
        ).status_code
        < 500
    )
    assert hooked == ["flask"]  # writes go through Flask


def test_a_rate_limited_route_is_left_to_flask(make_app, user, monkeypatch):
    declared = reference.routes()
    limited = tuple(
        replace(route, limits=("sign-in",)) if route.name == "user/current-session" else route
        for route in declared
    )
    monkeypatch.setattr(reference, "routes", lambda: limited)
    app = make_app()
    hooked = []
    app.before_request(lambda: hooked.append("flask"))
    path = "/api/user/current-session"
    assert app.test_client().get(path, headers={"Authorization": bearer(user)}).status_code == 200
    assert hooked == ["flask"]


def test_a_host_app_sees_its_api_gets(config, tmp_path, apps):
    from flask import Flask

    host = Flask("host", instance_path=str(tmp_path / "host"))
    Dashboard(host, config)
    apps.append(host)
    hooked = []
    host.before_request(lambda: hooked.append("host"))
    assert host.test_client().get("/api/user/current-session").status_code == 401
    assert hooked == ["host"]


def test_with_allowed_origins_a_browser_request_gets_its_cors_headers(make_app, user):
    client = make_app(allowed_origins=("https://app.example",)).test_client()
    headers = {"Authorization": bearer(user), "Origin": "https://app.example"}
    answered = client.get("/api/user/current-session", headers=headers)
    assert answered.status_code == 200
    assert answered.headers["Access-Control-Allow-Origin"] == "https://app.example"
    plain = client.get("/api/user/current-session", headers={"Authorization": bearer(user)})
    assert plain.status_code == 200
    assert "Access-Control-Allow-Origin" not in plain.headers


def test_behind_a_proxy_the_route_sees_the_client_address(make_app, user, monkeypatch):
    from dashboard.api.user import current_session

    seen = []
    original = current_session.get
    monkeypatch.setattr(current_session, "get", lambda req: seen.append(req["ip"]) or original(req))
    client = make_app(proxy_count=1).test_client()
    headers = {"Authorization": bearer(user), "X-Forwarded-For": "203.0.113.7"}
    assert client.get("/api/user/current-session", headers=headers).status_code == 200
    assert seen == ["203.0.113.7"]


def test_only_reads_without_a_rate_limit_are_answered_before_flask(app):
    answered = the_gateway(app).gets
    assert {route.url for route in GETS} == set(answered)  # no GET route has a limit today
    for route in answered.values():
        assert route.methods == ("get",) and not route.limits


def test_a_route_answered_as_headers_is_so_through_either_door(
    make_app, config, tmp_path, apps, user, monkeypatch
):
    """A route that declares HEADERS answers 200 with an empty body and those headers,
    whether the fast path (the service) or Flask (a host app) serves it."""
    from flask import Flask

    declared = reference.routes()
    as_headers = tuple(
        replace(route, headers={"sessionid": "X-Sessionid"})
        if route.name == "user/current-session"
        else route
        for route in declared
    )
    monkeypatch.setattr(reference, "routes", lambda: as_headers)
    host = Flask("host", instance_path=str(tmp_path / "host"))
    Dashboard(host, config)
    apps.append(host)
    for app in (make_app(), host):
        answered = app.test_client().get(
            "/api/user/current-session", headers={"Authorization": bearer(user)}
        )
        assert answered.status_code == 200
        assert answered.get_data() == b""
        assert answered.headers["X-Sessionid"] == user.session["sessionid"]
