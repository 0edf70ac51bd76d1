"""The HTTP contract: bodies, content types, sizes, routes, methods, statuses."""

from __future__ import annotations

import io
import json

import pytest

from dashboard import reference, storage

CREATE_ACCOUNT = "/api/user/create-account"


def error(response) -> tuple[int, dict]:
    return response.status_code, response.json


@pytest.fixture
def count_accounts(app):
    def count() -> int:
        with app.app_context():
            return storage.Account.select().count()

    return count


class TestBadBodies:
    @pytest.mark.parametrize(
        ("raw", "field"),
        [
            (b'{"username": "broken-json", ', None),
            (b"[1, 2, 3]", None),
            (b'"a string"', None),
            (b"null", None),
            (b'{"username": 12345678, "password": "password"}', "username"),
            (b'{"username": ["a"], "password": "password"}', "username"),
            (b'{"username": {"a": 1}, "password": "password"}', "username"),
            (b'{"username": "x", "password": true}', "password"),
            (b'{"username": "lone-\\ud800-surrogate", "password": "password"}', "username"),
            (b'{"username": "bad-utf8-\xff", "password": "password"}', None),
        ],
    )
    def test_unparseable_json_is_400_naming_the_field_where_one_is(
        self, client, count_accounts, raw, field
    ):
        response = client.post(CREATE_ACCOUNT, data=raw, content_type="application/json")
        expected = {"object": "error", "message": "invalid-request-body"}
        assert error(response) == (400, expected | ({"field": field} if field else {}))
        assert count_accounts() == 0

    def test_a_json_value_that_is_not_text_is_named(self, client):
        response = client.post("/api/user/create-session", json={"remember": True})
        assert response.json == {
            "object": "error",
            "message": "invalid-request-body",
            "field": "remember",
        }

    @pytest.mark.parametrize(
        "raw",
        [b"username=bad-%FF-utf8&password=password", b"username=raw-\xff\xfe&password=password"],
    )
    def test_invalid_utf8_form_is_400(self, client, count_accounts, raw):
        response = client.post(
            CREATE_ACCOUNT, data=raw, content_type="application/x-www-form-urlencoded"
        )
        assert error(response) == (400, {"object": "error", "message": "invalid-request-body"})
        assert count_accounts() == 0

    def test_invalid_utf8_multipart_is_400(self, client, count_accounts):
        boundary = "xyz"
        raw = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="username"\r\n\r\n'.encode()
            + b"bad-\xff-utf8\r\n"
            + f'--{boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\n'.encode()
            + b"password\r\n"
            + f"--{boundary}--\r\n".encode()
        )
        response = client.post(
            CREATE_ACCOUNT, data=raw, content_type=f"multipart/form-data; boundary={boundary}"
        )
        assert error(response) == (
            400,
            {"object": "error", "message": "invalid-request-body", "field": "username"},
        )
        assert count_accounts() == 0

    def test_invalid_utf8_query_is_400(self, client, user):
        response = client.get("/api/user/account?accountid=%FF", headers=user.bearer)
        assert error(response) == (400, {"object": "error", "message": "invalid-request-body"})

    @pytest.mark.parametrize(
        "content_type", ["text/plain", "application/xml", "application/octet-stream"]
    )
    def test_unsupported_content_type_is_415(self, client, count_accounts, content_type):
        response = client.post(
            CREATE_ACCOUNT, data=b"username=x&password=y", content_type=content_type
        )
        assert error(response) == (415, {"object": "error", "message": "invalid-content-type"})
        assert count_accounts() == 0

    def test_body_without_content_type_is_415(self, client):
        response = client.post(CREATE_ACCOUNT, data=b"username=someone")
        assert response.status_code == 415

    def test_oversized_body_is_413(self, make_app):
        client = make_app(maximum_post_data_length=1000).test_client()
        big = {"username": "big-body-user", "password": "p" * 2000}
        response = client.post(CREATE_ACCOUNT, json=big)
        assert error(response) == (413, {"object": "error", "message": "invalid-request-size"})

    def test_oversized_chunked_body_is_413(self, make_app):
        client = make_app(maximum_post_data_length=1000).test_client()
        stream = io.BytesIO(b'{"username": "' + b"u" * 5000 + b'"}')
        response = client.post(
            CREATE_ACCOUNT,
            input_stream=stream,
            content_type="application/json",
            headers={"Transfer-Encoding": "chunked"},
            # what a server that decoded the chunks says: read to the end, no length known
            environ_overrides={"wsgi.input_terminated": True},
        )
        assert response.status_code == 413


# Every route that takes a body, as a form and as JSON; the rate-limited ones, whose
# limits read the body first, in every encoding.
OVERSIZED = [
    (route, method, encoding)
    for route in reference.routes()
    for method in route.methods
    if method in reference.BODY_METHODS
    for encoding in ("form", "json", "multipart", "chunked")
    if encoding in ("form", "json") or route.limits
]


class TestEveryRouteRefusesAnOversizedBody:
    """Limits on, as in production: a rate limit keyed by the posted username reads the
    body before the route does, and must not change the answer."""

    @pytest.fixture
    def limited(self, make_app):
        return make_app(maximum_post_data_length=1000, ratelimit_enabled=True).test_client()

    @pytest.mark.parametrize(
        ("route", "method", "encoding"),
        OVERSIZED,
        ids=lambda value: value.name if isinstance(value, reference.Route) else value,
    )
    def test_413_and_nothing_written(self, limited, app, user, route, method, encoding):
        # Every field the route reads, the username first, and one that breaks the limit.
        fields = {"username": user.username, "password": user.password}
        fields |= {param.name: "x" * 10 for param in route.params if param.where == "body"}
        fields["padding"] = "p" * 2000
        options = {"headers": user.bearer}
        if encoding == "form":
            options["data"] = fields
        elif encoding == "json":
            options["json"] = fields
        elif encoding == "multipart":
            options["data"] = {**fields, "file": (io.BytesIO(b"f"), "f.txt")}
        else:
            options |= {
                "input_stream": io.BytesIO(json.dumps(fields).encode()),
                "content_type": "application/json",
                "headers": {**user.bearer, "Transfer-Encoding": "chunked"},
                "environ_overrides": {"wsgi.input_terminated": True},
            }
        url = f"{route.url}?accountid={user.account['accountid']}"
        with app.app_context():
            before = [model.select().count() for model in storage.MODELS]
        response = limited.open(url, method=method.upper(), **options)
        assert error(response) == (413, {"object": "error", "message": "invalid-request-size"})
        with app.app_context():
            assert [model.select().count() for model in storage.MODELS] == before


class TestGoodBodies:
    def test_json_null_counts_as_missing(self, client):
        response = client.post(CREATE_ACCOUNT, json={"username": None, "password": "password"})
        assert response.json["message"] == "invalid-username"

    def test_form_takes_the_first_value_of_a_field(self, client):
        response = client.post(
            CREATE_ACCOUNT,
            data=b"username=first-value&username=second-value&password=password1",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        signed_in = client.post(
            "/api/user/create-session", json={"username": "first-value", "password": "password1"}
        )
        assert signed_in.status_code == 200

    def test_json_with_charset_and_non_ascii(self, client):
        response = client.post(
            CREATE_ACCOUNT,
            data='{"username": "ünïcödé-user", "password": "pässwörd-😀"}'.encode(),
            content_type="application/json; charset=utf-8",
        )
        assert response.status_code == 200

    def test_multipart_files_reach_the_route_as_uploads(self, app, client, monkeypatch):
        from dashboard.api.user import create_account

        seen = {}
        real = create_account.post

        def spy(req):
            seen.update(req, upload=req["uploads"]["picture"].read())
            return real(req)

        monkeypatch.setattr(create_account, "post", spy)
        data = {
            "username": "upload-user",
            "password": "password",
            "picture": (io.BytesIO(b"png-bytes"), "me.png"),
        }
        response = client.post(CREATE_ACCOUNT, data=data, content_type="multipart/form-data")
        assert response.status_code == 200
        assert seen["body"] == {"username": "upload-user", "password": "password"}
        assert seen["upload"] == b"png-bytes"


class TestRoutesAndMethods:
    @pytest.mark.parametrize(
        "path", ["/api/user/nothing-here", "/api/unknown/account", "/api", "/"]
    )
    def test_unknown_route_is_404(self, client, path):
        response = client.get(path)
        assert error(response) == (404, {"object": "error", "message": "invalid-route"})

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("delete", "/api/user/account"),
            ("post", "/api/user/session"),
            ("get", "/api/user/reset-session-key"),
            ("put", "/api/user/create-account"),
            ("options", "/api/user/create-session"),
        ],
    )
    def test_wrong_method_is_405(self, client, count_accounts, method, path):
        response = getattr(client, method)(path)
        assert error(response) == (405, {"object": "error", "message": "invalid-method"})
        assert count_accounts() == 0

    def test_405_names_the_allowed_methods(self, client):
        assert client.get("/api/user/create-session").headers["Allow"] == "POST"

    def test_every_route_module_is_served(self, app):
        rules = {rule.rule for rule in app.url_map.iter_rules()}
        for path in ("account", "session", "create-account", "create-session", "reset-session-key"):
            assert f"/api/user/{path}" in rules


class TestResponses:
    def test_every_response_is_no_store(self, client, user):
        assert client.get("/nowhere").headers["Cache-Control"] == "no-store"
        response = client.get(
            f"/api/user/account?accountid={user.account['accountid']}", headers=user.bearer
        )
        assert response.headers["Cache-Control"] == "no-store"

    def test_true_is_a_json_body(self, client, user):
        response = client.patch(
            f"/api/user/reset-session-key?accountid={user.account['accountid']}",
            headers=user.bearer,
        )
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.get_data().strip() == b"true"

    def test_unexpected_error_is_500_without_its_text(self, app, client, caplog, monkeypatch):
        from dashboard.api.user import create_account

        def broken(req):
            raise RuntimeError("secret-detail-password-hunter2")

        monkeypatch.setattr(create_account, "post", broken)
        response = client.post(CREATE_ACCOUNT, json={"username": "someone", "password": "password"})
        assert error(response) == (500, {"object": "error", "message": "unknown-error"})
        request_id = response.headers["X-Request-Id"]
        assert request_id in caplog.text
        assert "hunter2" not in caplog.text
        assert "hunter2" not in response.get_data(as_text=True)

    def test_unreachable_database_is_503(self, client, monkeypatch):
        import peewee

        from dashboard.api.user import create_account

        def unreachable(req):
            raise peewee.OperationalError("could not connect to server")

        monkeypatch.setattr(create_account, "post", unreachable)
        response = client.post(CREATE_ACCOUNT, json={"username": "someone", "password": "password"})
        assert error(response) == (503, {"object": "error", "message": "storage-unavailable"})


class TestUnexpectedErrors:
    """Every 500, whatever raised it, is JSON with a request id and one log line."""

    @staticmethod
    def failing_app(make_app, hook: str):
        app = make_app()
        calls = []

        def fail_once(*args):
            calls.append(hook)
            if len(calls) == 1:  # as a storage error does, not on the error's own answer
                raise RuntimeError(f"failed in {hook}: secret-detail-hunter2")
            return args[0] if args else None

        getattr(app, hook)(fail_once)
        return app

    @pytest.mark.parametrize("hook", ["before_request", "after_request"])
    def test_error_outside_the_view_is_500_json_with_one_log_line(self, make_app, caplog, hook):
        client = self.failing_app(make_app, hook).test_client()
        caplog.clear()
        response = client.post(CREATE_ACCOUNT, json={"username": "someone", "password": "password"})
        assert error(response) == (500, {"object": "error", "message": "unknown-error"})
        request_id = response.headers["X-Request-Id"]
        lines = [r for r in caplog.records if r.levelname == "ERROR"]
        assert len(lines) == 1
        assert f"request={request_id} type=RuntimeError" in lines[0].getMessage()
        assert lines[0].exc_info is None
        assert "hunter2" not in caplog.text

    def test_error_in_a_view_is_logged_once_without_traceback(self, client, caplog, monkeypatch):
        from dashboard.api.user import create_account

        def broken(req):
            raise KeyError("secret-detail-hunter2")

        monkeypatch.setattr(create_account, "post", broken)
        caplog.clear()
        response = client.post(CREATE_ACCOUNT, json={"username": "someone", "password": "password"})
        assert response.status_code == 500
        assert [r.getMessage().split(" at=")[0] for r in caplog.records] == [
            f"unknown-error request={response.headers['X-Request-Id']} type=KeyError"
        ]


BODY_ROUTES = [
    (route.url, method)
    for route in reference.routes()
    for method in route.methods
    if method in reference.BODY_METHODS
]


class TestHostileBodies:
    @pytest.mark.parametrize(("path", "method"), BODY_ROUTES)
    def test_deeply_nested_json_is_400_on_every_route_that_reads_a_body(
        self, client, user, path, method
    ):
        nested = '{"username": ' + "[" * 3000 + "]" * 3000 + "}"
        response = getattr(client, method)(
            f"{path}?accountid={user.account['accountid']}",
            data=nested,
            content_type="application/json",
            headers=user.bearer,
        )
        assert error(response) == (400, {"object": "error", "message": "invalid-request-body"})

    def test_unreadable_body_does_not_switch_the_limiter_to_memory(self, make_app, user, caplog):
        client = make_app(ratelimit_enabled=True).test_client()
        nested = '{"username": ' + "[" * 3000 + "]" * 3000 + "}"
        response = client.post(
            "/api/user/create-session", data=nested, content_type="application/json"
        )
        assert response.status_code == 400
        assert "falling back" not in caplog.text
        assert "rate limits:" not in caplog.text


class TestForwardedAddresses:
    @pytest.fixture
    def behind_proxy(self, make_app):
        return make_app(proxy_count=1).test_client()

    @pytest.mark.parametrize(
        ("forwarded", "stored"),
        [
            ("203.0.113.9", "203.0.113.9"),
            ("2001:db8::1", "2001:db8::1"),
            ("fe80::1%" + "z" * 80, "fe80::1"),  # the zone id names the proxy's interface
            ("1" * 70, None),
            ("not an address", None),
        ],
    )
    def test_only_a_valid_address_is_stored(self, behind_proxy, user, forwarded, stored):
        response = behind_proxy.post(
            "/api/user/create-session",
            json={"username": user.username, "password": user.password},
            headers={"X-Forwarded-For": forwarded},
        )
        assert response.status_code == 200
        assert response.json.get("ipAddress") == stored

    def test_user_agent_is_stored_without_control_characters(self, client, user):
        response = client.post(
            "/api/user/create-session",
            json={"username": user.username, "password": user.password},
            headers={"User-Agent": "agent\x00/1.0\x07" + "x" * 600},
        )
        assert response.status_code == 200
        assert response.json["userAgent"] == ("agent/1.0" + "x" * 600)[:512]
