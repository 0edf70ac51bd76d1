"""Where the pages are: on in the service (PAGES), asked for in a host app."""

from __future__ import annotations

from flask import Flask

from dashboard import Dashboard


def test_the_service_has_them(client):
    assert client.get("/account/sign-in").status_code == 200


def test_pages_false_leaves_them_out(make_app):
    assert make_app(pages=False).test_client().get("/account/sign-in").status_code == 404


def test_a_host_app_mounts_them_when_it_asks(config, tmp_path, apps):
    asked = Flask("asked", instance_path=str(tmp_path / "asked"))
    Dashboard(asked, config, pages=True)
    plain = Flask("plain", instance_path=str(tmp_path / "plain"))
    Dashboard(plain, config)
    apps.extend([asked, plain])
    page = asked.test_client().get("/account/sign-in")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"  # the API's headers, on its pages too
    assert plain.test_client().get("/account/sign-in").status_code == 404


def test_the_stylesheet_is_served(client):
    sheet = client.get("/account/style.css")
    assert sheet.status_code == 200
    assert sheet.mimetype == "text/css"
    assert ":focus-visible" in sheet.get_data(as_text=True)


def test_a_path_that_names_no_page_is_a_page_too(client):
    missing = client.get("/account/no-such-page")
    assert (missing.status_code, missing.mimetype) == (404, "text/html")
    assert "There is no page at this address" in missing.get_data(as_text=True)
    assert "default-src 'none'" in missing.headers["Content-Security-Policy"]
    wrong = client.put("/account/sign-in")
    assert (wrong.status_code, wrong.mimetype) == (405, "text/html")
    assert set(wrong.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert client.get("/api/no-such-route").json["message"] == "invalid-route"  # still JSON
