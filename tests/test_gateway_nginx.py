"""A real nginx protects a backend with /api/verify (deploy/nginx.conf, as the README shows).

nginx runs from its own temporary prefix on loopback ports, in front of the service
under gunicorn and a small backend that echoes what it receives. In CI (.ci/run sets
TEST_NGINX) nginx must be there; elsewhere the test is skipped, saying so, without it.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from bench import nginx as nginx_site
from tests.servers import ROOT, exchange, free_port, running, service_environment


@pytest.fixture(scope="module")
def nginx() -> str:
    required = os.environ.get("TEST_NGINX")
    if required:
        found = shutil.which(required) or shutil.which(required, path="/usr/sbin")
        assert found, f"TEST_NGINX={required} is not an executable"
        return found
    found = nginx_site.binary()
    if found is None:
        pytest.skip("no nginx found (Debian: apt-get install nginx)")
    return found


class Backend(BaseHTTPRequestHandler):
    """The protected application: answers every request with the headers it received."""

    received: list[dict[str, str]] = []

    def _echo(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        Backend.received.append(headers)
        body = json.dumps(headers).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _echo

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(nginx, tmp_path_factory):
    """nginx on a free port, with the service and the backend behind it: its base URL."""
    folder = tmp_path_factory.mktemp("nginx")
    ports = {name: free_port() for name in nginx_site.ADDRESSES}
    backend = ThreadingHTTPServer(("127.0.0.1", ports["backend"]), Backend)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    env = service_environment(folder / "dashboard.sqlite3", FIRST_ACCOUNT_OWNER="true")
    service = [sys.prefix + "/bin/gunicorn", "-w", "1", "--threads", "4"]
    service += ["-b", f"127.0.0.1:{ports['service']}", "app:app"]
    try:
        with (
            running(service, env, ports["service"], folder / "gunicorn.log"),
            nginx_site.running(nginx, folder, ports) as base,
        ):
            yield base
    finally:
        backend.shutdown()


@pytest.fixture(scope="module")
def signed_in(site):
    credentials = {"username": "behind-nginx", "password": "behind-nginx-password"}
    status, account, _ = exchange("POST", f"{site}/api/user/create-account", credentials)
    assert status == 200
    status, session, _ = exchange("POST", f"{site}/api/user/create-session", credentials)
    assert status == 200
    return credentials, session


def bearer(session: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}


def test_a_signed_in_request_reaches_the_backend_with_who_signed_it_in(site, signed_in):
    _, session = signed_in
    status, received, _ = exchange("GET", f"{site}/notes", headers=bearer(session))
    assert status == 200
    assert received["x-accountid"] == session["accountid"]
    assert received["x-sessionid"] == session["sessionid"]
    assert received["x-administrator"] == "true"  # the site's first account
    assert received["x-session-verified-at"] == session["lastVerifiedAt"]


def test_a_client_forged_accountid_never_reaches_the_backend(site, signed_in):
    _, session = signed_in
    forged = {"X-Accountid": "acct_0000000000000000", "X-Sessionid": "sess_0000000000000000"}
    status, received, _ = exchange("GET", f"{site}/notes", headers={**bearer(session), **forged})
    assert status == 200
    assert received["x-accountid"] == session["accountid"]
    assert received["x-sessionid"] == session["sessionid"]
    Backend.received.clear()
    status, _, _ = exchange("GET", f"{site}/notes", headers=forged)
    assert status == 401
    assert Backend.received == []


def test_a_signed_out_request_gets_401_and_never_reaches_the_backend(site):
    Backend.received.clear()
    status, body, headers = exchange("GET", f"{site}/notes", headers={"Accept": "*/*"})
    assert status == 401
    assert body == {"object": "auth", "message": "Sign in required"}  # JSON, not nginx's page
    assert headers["WWW-Authenticate"] == "Bearer"
    assert Backend.received == []


def unfollowed(url: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    """One GET, its redirect not followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(
        "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers
    )
    return connection.getresponse()


def test_a_signed_out_browser_is_sent_to_sign_in_and_back(site):
    Backend.received.clear()
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    answered = unfollowed(f"{site}/notes/7?sort=new", browser)
    assert answered.status == 303
    assert answered.getheader("Location").endswith("/account/sign-in?return-to=/notes/7")
    assert Backend.received == []
    page = unfollowed(f"{site}/account/sign-in?return-to=/notes/7", browser)
    assert page.status == 200
    assert 'name="return-to" value="/notes/7"' in page.read().decode()


def test_the_administrators_pages_are_dashboards_not_the_backends(site):
    Backend.received.clear()
    browser = {"Accept": "text/html"}
    answered = unfollowed(f"{site}/administrator/", browser)
    assert answered.status == 303  # Dashboard's own page, sending a signed-out browser to sign in
    assert "/account/sign-in?return-to=%2Fadministrator%2F" in answered.getheader("Location")
    assert Backend.received == []


def test_an_api_client_asking_for_json_keeps_the_401(site):
    answered = unfollowed(f"{site}/notes", {"Accept": "application/json"})
    assert answered.status == 401
    assert json.loads(answered.read()) == {"object": "auth", "message": "Sign in required"}


def test_cookies_and_the_csrf_rule_of_the_forwarded_request(site, signed_in):
    credentials, _ = signed_in
    status, session, headers = exchange(
        "POST", f"{site}/api/user/create-session", {**credentials, "cookie-only": "true"}
    )
    assert status == 200
    cookies = "; ".join(
        value.split(";")[0] for name, value in headers.items() if name.lower() == "set-cookie"
    )
    status, received, _ = exchange("GET", f"{site}/notes", headers={"Cookie": cookies})
    assert (status, received["x-sessionid"]) == (200, session["sessionid"])
    Backend.received.clear()
    status, _, _ = exchange("POST", f"{site}/notes", {"text": "x"}, {"Cookie": cookies})
    assert status == 403
    assert Backend.received == []
    # A client's own X-Forwarded-Method is cleared by nginx, and would lose to its own.
    sneaky = {"Cookie": cookies, "X-Forwarded-Method": "GET"}
    status, _, _ = exchange("POST", f"{site}/notes", {"text": "x"}, sneaky)
    assert status == 403
    assert Backend.received == []
    with_token = {"Cookie": cookies, "X-CSRF-Token": session["csrfToken"]}
    status, received, _ = exchange("POST", f"{site}/notes", {"text": "x"}, with_token)
    assert (status, received["x-accountid"]) == (200, session["accountid"])


def test_after_reset_session_key_the_very_next_request_is_refused(site):
    credentials = {"username": "reset-behind-nginx", "password": "reset-behind-nginx-password"}
    assert exchange("POST", f"{site}/api/user/create-account", credentials)[0] == 200
    status, session, _ = exchange("POST", f"{site}/api/user/create-session", credentials)
    assert exchange("GET", f"{site}/notes", headers=bearer(session))[0] == 200
    reset = exchange(
        "PATCH",
        f"{site}/api/user/reset-session-key?accountid={session['accountid']}",
        headers=bearer(session),
    )
    assert reset[0] == 200
    assert exchange("GET", f"{site}/notes", headers=bearer(session))[0] == 401


def test_the_readme_shows_this_configuration():
    readme = (ROOT / "README.md").read_text()
    assert nginx_site.CONFIG.read_text().strip() in readme
