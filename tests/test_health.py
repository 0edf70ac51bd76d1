"""GET /healthz"""

from __future__ import annotations


def test_database_ok_and_cache_off(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"object": "health", "database": "ok", "cache": "off"}
    assert response.headers["Cache-Control"] == "no-store"


def test_reports_a_configured_cache(make_app, tmp_path):
    client = make_app(cache_url=f"filesystem://{tmp_path / 'cache'}").test_client()
    assert client.get("/healthz").json["cache"] == "ok"


def test_reports_an_unreachable_cache_but_stays_up(make_app):
    client = make_app(cache_url="redis://127.0.0.1:1/0").test_client()
    response = client.get("/healthz")
    assert (response.status_code, response.json["cache"]) == (200, "unavailable")


def test_is_not_rate_limited(make_app):
    client = make_app(
        ratelimit_enabled=True, create_session_rate_limit="1 per minute"
    ).test_client()
    assert {client.get("/healthz").status_code for _ in range(30)} == {200}


def test_only_get(client):
    response = client.post("/healthz")
    assert (response.status_code, response.json["message"]) == (405, "invalid-method")
