"""Dashboard(app) inside a host Flask app (examples/notes): its decorators signed out,
signed in, as administrator, with a stale verification and with cookies; settings from
app.config and the environment; several apps in one process; the host's own pages."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Blueprint, Flask

from dashboard import (
    ConfigError,
    Dashboard,
    current_account,
    current_session,
    databases,
    lookup,
    require_account,
    require_administrator,
    require_verified,
)
from examples.notes.app import create_app as notes_app
from tests.conftest import ENCRYPTION_KEY, SESSION_KEY, code_of


def settings(database_url: str, **more) -> dict:
    return {
        "DATABASE_URL": database_url,
        "DASHBOARD_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "DASHBOARD_SESSION_KEY": SESSION_KEY,
        "BCRYPT_WORKLOAD_FACTOR": 4,
        "RATELIMIT_ENABLED": False,
        **more,
    }


@pytest.fixture
def host(database_url, tmp_path):
    app = notes_app(settings(database_url, FIRST_ACCOUNT_OWNER=True))  # people's owner
    yield app
    databases.close_all(app.extensions["dashboard"].database)


@pytest.fixture
def client(host):
    return host.test_client()


def register(client, username, password="a-long-password"):
    credentials = {"username": username, "password": password}
    assert client.post("/api/user/create-account", json=credentials).status_code == 200
    session = client.post("/api/user/create-session", json=credentials).json
    return session, {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}


@pytest.fixture
def people(client):
    """The site's owner (an administrator) and a user, signed in: (session, bearer) each."""
    return {"owner": register(client, "the-owner"), "user": register(client, "a-user")}


class TestDecorators:
    def test_signed_out(self, client):
        assert client.get("/").json == {"signedIn": False}
        answer = client.get("/notes", headers={"Accept": "application/json"})
        assert (answer.status_code, answer.json) == (
            401,
            {"object": "auth", "message": "Sign in required"},
        )

    def test_signed_out_browser_is_sent_to_sign_in_and_back(self, client):
        browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        answer = client.get("/notes?sort=new", headers=browser)
        assert answer.status_code == 303
        assert answer.headers["Location"] == "/account/sign-in?return-to=%2Fnotes%3Fsort%3Dnew"
        assert client.get(answer.headers["Location"], headers=browser).status_code == 200

    def test_curl_and_a_browsers_post_keep_the_json(self, client):
        assert client.get("/notes", headers={"Accept": "*/*"}).status_code == 401
        posted = client.post("/notes", headers={"Accept": "text/html"}, data={"text": "x"})
        assert posted.status_code == 401

    def test_a_stale_verification_sends_a_browser_to_confirm_it_and_back(
        self, database_url, frozen_clock, apps
    ):
        app = Flask("verifying")
        app.config.update(settings(database_url))
        Dashboard(app, pages=True)
        apps.append(app)

        @app.get("/export")
        @require_verified(seconds=60)
        def export():
            return {"exported": True}

        client = app.test_client()
        _, bearer = register(client, "a-person")
        browser = {**bearer, "Accept": "text/html"}
        assert client.get("/export", headers=browser).json == {"exported": True}
        frozen_clock.advance(seconds=61)
        answer = client.get("/export", headers=browser)
        assert (answer.status_code, answer.headers["Location"]) == (
            303,
            "/account/verify?return-to=%2Fexport",
        )
        script = client.get("/export", headers=bearer)
        assert (script.status_code, script.json["message"]) == (403, "Verification required")

    def test_signed_in(self, client, people):
        session, bearer = people["user"]
        assert (
            client.post("/notes", json={"text": "remember the milk"}, headers=bearer).status_code
            == 201
        )
        listed = client.get("/notes", headers=bearer).json
        assert listed == {"notes": [{"text": "remember the milk"}]}
        home = client.get("/", headers=bearer).json
        assert home == {
            "signedIn": True,
            "accountid": session["accountid"],
            "csrfToken": session["csrfToken"],
        }

    def test_administrator(self, client, people):
        _, user = people["user"]
        _, owner = people["owner"]
        refused = client.get("/admin/notes-count", headers=user)
        assert (refused.status_code, refused.json["message"]) == (403, "Administrator required")
        client.post("/notes", json={"text": "one"}, headers=user)
        assert client.get("/admin/notes-count", headers=owner).json == {"notes": 1}

    def test_a_browser_whose_sign_in_waits_for_its_second_factor_is_sent_to_give_it(
        self, client, people, frozen_clock
    ):
        session, bearer = people["user"]
        made = client.post(
            f"/api/user/create-totp?accountid={session['accountid']}",
            json={"password": "a-long-password"},
            headers=bearer,
        ).json
        client.patch(
            f"/api/user/confirm-totp?accountid={session['accountid']}",
            json={"code": code_of(made["secret"], frozen_clock)},
            headers=bearer,
        )
        waiting = client.post(
            "/api/user/create-session", json={"username": "a-user", "password": "a-long-password"}
        ).json
        browser = {
            "Authorization": f"Bearer {waiting['sessionid']}.{waiting['token']}",
            "Accept": "text/html",
        }
        answer = client.get("/notes", headers=browser)
        assert (answer.status_code, answer.headers["Location"]) == (
            303,
            "/account/second-step?return-to=%2Fnotes",
        )

    def test_a_browser_that_is_not_an_administrators_gets_a_page_saying_so(self, client, people):
        _, user = people["user"]
        refused = client.get("/admin/notes-count", headers={**user, "Accept": "text/html"})
        assert (refused.status_code, refused.mimetype) == (403, "text/html")
        assert "for the site&#39;s administrators" in refused.get_data(as_text=True)

    def test_stale_verification(self, client, people, frozen_clock):
        session, bearer = people["user"]
        assert client.delete("/notes", headers=bearer).status_code == 200  # just signed in
        frozen_clock.advance(minutes=6)  # the window is five minutes; the session lives on
        stale = client.delete("/notes", headers=bearer)
        assert (stale.status_code, stale.json["message"]) == (403, "Verification required")
        verified = client.patch(
            f"/api/user/set-session-verified?sessionid={session['sessionid']}",
            json={"username": "a-user", "password": "a-long-password"},
            headers=bearer,
        )
        assert verified.status_code == 200
        assert client.delete("/notes", headers=bearer).status_code == 200

    def test_cookies_and_the_csrf_token(self, client, people):
        client.post(
            "/api/user/create-session",
            json={"username": "a-user", "password": "a-long-password", "cookie-only": "true"},
        )
        assert client.get("/notes").status_code == 200  # cookies alone, for a GET
        without = client.post("/notes", json={"text": "forged"})
        assert (without.status_code, without.json["message"]) == (403, "invalid-csrf-token")
        token = client.get("/").json["csrfToken"]
        with_token = client.post("/notes", json={"text": "mine"}, headers={"X-CSRF-Token": token})
        assert with_token.status_code == 201

    def test_another_sites_page_cannot_use_the_cookies(self, client, people):
        client.post(
            "/api/user/create-session",
            json={"username": "a-user", "password": "a-long-password"},
        )
        cross = client.get(
            "/notes", headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
        )
        assert (cross.status_code, cross.json["message"]) == (403, "invalid-origin")

    def test_the_api_stays_json_whatever_the_handler(self, client):
        answer = client.get("/api/user/current-session", headers={"Accept": "text/html"})
        assert (answer.status_code, answer.json["message"]) == (401, "Sign in required")

    def test_events_reach_the_host(self, host, client, people):
        session, bearer = people["user"]
        client.post("/notes", json={"text": "private"}, headers=bearer)
        deleted = client.patch(
            f"/api/user/set-account-deleted?accountid={session['accountid']}",
            json={"password": "a-long-password"},
            headers=bearer,
        )
        assert deleted.status_code == 200
        assert session["accountid"] not in host.extensions["notes"]


class TestWithoutAHandler:
    """A host's own blueprint, guarded, with no unauthorized handler: the API's JSON."""

    @pytest.fixture
    def guarded(self, database_url):
        app = Flask("host")
        app.config.update(
            settings(database_url, SESSION_VERIFICATION_DELAY=60, FIRST_ACCOUNT_OWNER=True)
        )
        reports = Blueprint("reports", __name__, url_prefix="/reports")

        @reports.get("/mine")
        @require_account
        def mine():
            return {"accountid": current_account["accountid"]}

        @reports.get("/all")
        @require_administrator
        def everyone():
            return {"administrator": current_account["administrator"]}

        @reports.post("/export")
        @require_verified()
        def export():
            return {"sessionid": current_session["sessionid"]}

        app.register_blueprint(reports)
        Dashboard(app)
        yield app
        databases.close_all(app.extensions["dashboard"].database)

    def test_each_refusal(self, guarded, frozen_clock):
        client = guarded.test_client()
        signed_out = client.get("/reports/mine")
        assert (signed_out.status_code, signed_out.json) == (
            401,
            {"object": "auth", "message": "Sign in required"},
        )
        _, owner = register(client, "the-owner")
        session, user = register(client, "a-user")
        refused = client.get("/reports/all", headers=user)
        assert (refused.status_code, refused.json["message"]) == (403, "Administrator required")
        assert client.get("/reports/all", headers=owner).json == {"administrator": True}
        assert client.get("/reports/mine", headers=user).json == {"accountid": session["accountid"]}
        assert client.post("/reports/export", headers=user).json == {
            "sessionid": session["sessionid"]
        }
        frozen_clock.advance(seconds=61)  # SESSION_VERIFICATION_DELAY, from app.config
        stale = client.post("/reports/export", headers=user)
        assert (stale.status_code, stale.json["message"]) == (403, "Verification required")


class TestProxies:
    def test_worked_out_once_and_shared_with_the_api(self, database_url, monkeypatch):
        app = notes_app(settings(database_url))

        @app.get("/twice")
        @require_account
        def twice():
            return {"same": current_account["accountid"] == current_session["accountid"]}

        _, bearer = register(app.test_client(), "counted-user")
        queries = []
        real = lookup.session_with_account
        monkeypatch.setattr(
            lookup, "session_with_account", lambda *a: queries.append(a) or real(*a)
        )
        assert app.test_client().get("/twice", headers=bearer).json == {"same": True}
        assert len(queries) == 1  # the decorator and both proxies: one query
        databases.close_all(app.extensions["dashboard"].database)

    def test_none_when_signed_out(self, host):
        with host.test_request_context("/"):
            # proxies: falsy, and equal to None (``is None`` asks about the proxy itself)
            assert not current_account and not current_session
            assert current_account == None  # noqa: E711


class TestTheHostsOwnPages:
    def test_errors_and_headers_stay_the_hosts(self, client):
        missing = client.get("/no-such-page")
        assert missing.status_code == 404 and missing.mimetype == "text/html"
        page = client.get("/")
        assert "Content-Security-Policy" not in page.headers
        assert "Cache-Control" not in page.headers
        api = client.get("/api/no-such-route")
        assert (api.status_code, api.json["message"]) == (404, "invalid-route")
        assert api.headers["Cache-Control"] == "no-store"

    def test_a_hosts_own_handler_for_its_errors_wins(self, database_url):
        app = Flask("host")
        app.config.update(settings(database_url))
        Dashboard(app)

        @app.errorhandler(404)
        def not_found(error):
            return "the host's page", 404

        assert app.test_client().get("/nowhere").get_data(as_text=True) == "the host's page"
        databases.close_all(app.extensions["dashboard"].database)

    @pytest.mark.parametrize("registered", ["before", "after"])
    def test_a_hosts_handlers_keep_its_pages_and_the_api_stays_json(
        self, database_url, monkeypatch, registered
    ):
        app = Flask("host")
        app.config.update(settings(database_url))
        if registered == "after":
            Dashboard(app)
        for code in (404, 405, 500):
            app.register_error_handler(code, lambda error: (f"the host's {error.code}", error.code))
        app.register_error_handler(Exception, lambda error: ("the host's handler", 500))
        if registered == "before":
            Dashboard(app)

        @app.get("/broken")
        def broken():
            raise RuntimeError("the host's bug")

        client = app.test_client()
        assert client.get("/nowhere").get_data(as_text=True) == "the host's 404"
        assert client.post("/broken").get_data(as_text=True) == "the host's 405"
        assert client.get("/broken").get_data(as_text=True) == "the host's handler"
        for method, path, status, code in [
            ("GET", "/api/user/nope", 404, "invalid-route"),
            ("GET", "/api/nope/deeper", 404, "invalid-route"),
            ("GET", "/api/explorer/user/nope", 404, "invalid-route"),
            ("GET", "/api/user/create-session", 405, "invalid-method"),
            ("PROPFIND", "/api/user/account", 405, "invalid-method"),
            ("POST", "/api/user/create-session", 400, "invalid-username"),
        ]:
            answer = client.open(path, method=method)
            assert (answer.status_code, answer.json["object"], answer.json["message"]) == (
                status,
                "error",
                code,
            ), (method, path)
        assert client.get("/api/user/create-session").headers["Allow"] == "POST"
        from dashboard.api.user import create_session

        monkeypatch.setattr(create_session, "post", lambda req: 1 / 0)
        unexpected = client.post("/api/user/create-session")
        assert (unexpected.status_code, unexpected.json["message"]) == (500, "unknown-error")
        databases.close_all(app.extensions["dashboard"].database)

    def test_an_unexpected_error_in_a_hosts_view_is_the_hosts(self, database_url):
        app = Flask("host")
        app.config.update(settings(database_url))
        Dashboard(app)

        @app.get("/broken")
        def broken():
            raise RuntimeError("the host's bug")

        answer = app.test_client().get("/broken")
        assert answer.status_code == 500 and answer.mimetype == "text/html"
        databases.close_all(app.extensions["dashboard"].database)


class TestSettings:
    def test_from_app_config(self, database_url):
        app = Flask("host")
        app.config.update(settings(database_url, PAGE_SIZE=3, APPID="notes"))
        Dashboard(app)
        config = app.extensions["dashboard"].config
        assert (config.page_size, config.appid, config.bcrypt_workload_factor) == (3, "notes", 4)
        databases.close_all(app.extensions["dashboard"].database)

    def test_the_environment_fills_what_app_config_leaves_out(self, database_url, monkeypatch):
        monkeypatch.setenv("PAGE_SIZE", "7")
        monkeypatch.setenv("APPID", "from-the-environment")
        app = Flask("host")
        app.config.update(settings(database_url, APPID="from-app-config"))
        Dashboard().init_app(app)
        config = app.extensions["dashboard"].config
        assert (config.page_size, config.appid) == (7, "from-app-config")
        databases.close_all(app.extensions["dashboard"].database)

    def test_flasks_own_default_does_not_turn_secure_cookies_off(self, database_url):
        app = Flask("host")  # Flask's own SESSION_COOKIE_SECURE defaults to False
        app.config.update(settings(database_url))
        Dashboard(app)
        assert app.extensions["dashboard"].config.session_cookie_secure is True
        databases.close_all(app.extensions["dashboard"].database)

    def test_a_wrong_setting_stops_the_start_naming_it(self, database_url):
        app = Flask("host")
        app.config.update(settings(database_url, PAGE_SIZE="ten", BCRYPT_WORKLOAD_FACTOR=40))
        with pytest.raises(ConfigError) as raised:
            Dashboard(app)
        assert "PAGE_SIZE" in str(raised.value) and "BCRYPT_WORKLOAD_FACTOR" in str(raised.value)


class TestTwoAppsInOneProcess:
    @pytest.fixture
    def two(self, tmp_path):
        apps = [
            notes_app(settings(f"sqlite:///{tmp_path / name}.sqlite3", APPID=name))
            for name in ("first", "second")
        ]
        yield apps
        for app in apps:
            databases.close_all(app.extensions["dashboard"].database)

    def test_share_nothing(self, two):
        first, second = two
        register(first.test_client(), "only-in-the-first")
        assert (
            second.test_client()
            .post(
                "/api/user/create-session",
                json={"username": "only-in-the-first", "password": "a-long-password"},
            )
            .status_code
            == 400
        )
        state = [app.extensions["dashboard"] for app in two]
        assert state[0].limiter is not state[1].limiter
        assert state[0].database is not state[1].database
        assert first.cli.commands["dashboard"] is not second.cli.commands["dashboard"]

    def test_serving_at_once_on_many_threads_they_never_cross(self, two):
        sessions = [
            register(app.test_client(), f"user-of-{app.name}-{i}") for i, app in enumerate(two)
        ]
        start = threading.Barrier(8, timeout=30)

        def ask(number):
            which = number % 2
            start.wait()
            answers = []
            for _ in range(20):
                session, bearer = sessions[which]
                response = (
                    two[which]
                    .test_client()
                    .get(f"/api/user/account?accountid={session['accountid']}", headers=bearer)
                )
                answers.append((response.status_code, response.json.get("appid")))
            return which, answers

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(ask, range(8)))
        for which, answers in results:
            assert set(answers) == {(200, ("first", "second")[which])}
