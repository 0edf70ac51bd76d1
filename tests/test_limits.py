"""Rate limits on sign-in and registration."""

from __future__ import annotations

import pytest

SIGN_IN = "/api/user/create-session"
CREATE_ACCOUNT = "/api/user/create-account"


@pytest.fixture
def limited(make_app):
    def make(**limits: str):
        return make_app(ratelimit_enabled=True, **limits).test_client()

    return make


def sign_in(client, username, password, address="198.51.100.1"):
    return client.post(
        SIGN_IN,
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


class TestSignInPerAddress:
    def test_over_the_limit_is_429_with_retry_after(self, limited, user):
        client = limited(create_session_rate_limit="3 per minute")
        for _ in range(3):
            assert sign_in(client, user.username, user.password).status_code == 200
        response = sign_in(client, user.username, user.password)
        assert response.status_code == 429
        assert response.json == {"object": "error", "message": "rate-limited"}
        assert 0 < int(response.headers["Retry-After"]) <= 60

    def test_other_addresses_are_not_limited(self, limited, user):
        client = limited(create_session_rate_limit="1 per minute")
        assert sign_in(client, user.username, user.password, "198.51.100.1").status_code == 200
        assert sign_in(client, user.username, user.password, "198.51.100.1").status_code == 429
        assert sign_in(client, user.username, user.password, "198.51.100.2").status_code == 200

    def test_success_carries_no_retry_after(self, limited, user):
        response = sign_in(limited(), user.username, user.password)
        assert response.status_code == 200
        assert "Retry-After" not in response.headers

    def test_address_behind_trusted_proxies(self, make_app, user):
        client = make_app(
            ratelimit_enabled=True, create_session_rate_limit="1 per minute", proxy_count=1
        ).test_client()

        def via_proxy(client_address):
            return client.post(
                SIGN_IN,
                json={"username": user.username, "password": user.password},
                headers={"X-Forwarded-For": client_address},
            )

        assert via_proxy("203.0.113.1").json["ipAddress"] == "203.0.113.1"
        assert via_proxy("203.0.113.1").status_code == 429
        assert via_proxy("203.0.113.2").status_code == 200


class TestSignInPerUsername:
    def test_counts_failures_from_any_address(self, limited, user):
        client = limited(create_session_username_rate_limit="3 per hour")
        for number in range(3):
            response = sign_in(client, user.username, "wrong-password", f"198.51.100.{number}")
            assert response.status_code == 400
        blocked = sign_in(client, user.username, user.password, "198.51.100.99")
        assert blocked.status_code == 429
        assert blocked.json["message"] == "rate-limited"
        assert int(blocked.headers["Retry-After"]) > 0

    def test_successes_do_not_count(self, limited, user):
        client = limited(create_session_username_rate_limit="2 per hour")
        for number in range(5):
            assert (
                sign_in(client, user.username, user.password, f"198.51.100.{number}").status_code
                == 200
            )

    def test_unknown_usernames_count_too(self, limited):
        client = limited(create_session_username_rate_limit="2 per hour")
        assert sign_in(client, "nobody-here", "password", "198.51.100.1").status_code == 400
        assert sign_in(client, "nobody-here", "password", "198.51.100.2").status_code == 400
        assert sign_in(client, "nobody-here", "password", "198.51.100.3").status_code == 429

    def test_other_usernames_are_not_limited(self, limited, create_user):
        user, other = create_user(), create_user()
        client = limited(create_session_username_rate_limit="1 per hour")
        assert sign_in(client, user.username, "wrong-password", "198.51.100.1").status_code == 400
        assert sign_in(client, user.username, user.password, "198.51.100.2").status_code == 429
        assert sign_in(client, other.username, other.password, "198.51.100.3").status_code == 200

    def test_existing_sessions_keep_working(self, limited, user):
        client = limited(create_session_username_rate_limit="1 per hour")
        sign_in(client, user.username, "wrong-password")
        url = f"/api/user/account?accountid={user.account['accountid']}"
        assert client.get(url, headers=user.bearer).status_code == 200


class TestCreateAccount:
    def test_registrations_per_address(self, limited):
        client = limited(create_account_rate_limit="2 per hour")
        for number in range(2):
            body = {"username": f"limited-user-{number}", "password": "password"}
            assert client.post(CREATE_ACCOUNT, json=body).status_code == 200
        response = client.post(
            CREATE_ACCOUNT, json={"username": "limited-user-9", "password": "password"}
        )
        assert response.status_code == 429
        assert response.json == {"object": "error", "message": "rate-limited"}


class TestSwitch:
    def test_limits_off_never_limit(self, client, user):
        for _ in range(15):
            assert sign_in(client, user.username, user.password).status_code == 200

    def test_limits_are_on_by_default(self):
        from dashboard.config import Config

        assert Config().ratelimit_enabled is True

    def test_each_app_has_its_own_limiter(self, limited, user):
        first = limited(create_session_rate_limit="1 per minute")
        second = limited(create_session_rate_limit="1 per minute")
        assert sign_in(first, user.username, user.password).status_code == 200
        assert sign_in(first, user.username, user.password).status_code == 429
        assert sign_in(second, user.username, user.password).status_code == 200


class TestDeclaredLimits:
    """A route names its limits (LIMITS); limits.py says what each one is."""

    def test_every_declared_limit_is_one_limits_knows(self):
        from dashboard import limits, reference

        declared = {name for route in reference.routes() for name in route.limits}
        assert declared == set(limits.LIMITS)

    def test_the_routes_that_check_a_password_or_a_second_factor_declare_the_sign_in_limits(
        self,
    ):
        from dashboard import reference

        assert {route.name for route in reference.routes() if "sign-in" in route.limits} == {
            "user/complete-session",
            "user/create-session",
            "user/create-session-with-passkey",
            "user/passkey-sign-in-options",  # a row written for anyone: a challenge
            "user/reset-account-deleted",
            "user/reset-account-password",
        }

    def test_they_share_one_budget_per_address(self, limited, user):
        client = limited(create_session_rate_limit="1 per minute")
        assert sign_in(client, user.username, user.password).status_code == 200
        restore = client.patch(
            "/api/user/reset-account-deleted",
            json={"username": user.username, "password": user.password},
            environ_base={"REMOTE_ADDR": "198.51.100.1"},
        )
        assert (restore.status_code, restore.json["message"]) == (429, "rate-limited")

    def test_wrong_second_factors_share_the_budget(self, limited, user, add_totp):
        add_totp(user)
        client = limited(create_session_rate_limit="2 per minute")
        session = sign_in(client, user.username, user.password).json
        completed = client.patch(
            f"/api/user/complete-session?sessionid={session['sessionid']}",
            json={"code": "000000"},
            headers={"Authorization": f"Bearer {session['sessionid']}.{session['token']}"},
            environ_base={"REMOTE_ADDR": "198.51.100.1"},
        )
        assert completed.status_code == 400
        again = sign_in(client, user.username, user.password)
        assert (again.status_code, again.json["message"]) == (429, "rate-limited")

    def test_a_route_without_limits_is_never_counted(self, limited, user):
        client = limited(create_session_rate_limit="1 per minute")
        assert sign_in(client, user.username, user.password).status_code == 200
        for _ in range(3):
            refused = client.patch(
                "/api/user/set-account-username",
                query_string=user.own,
                headers=user.bearer,
                environ_base={"REMOTE_ADDR": "198.51.100.1"},
            )
            assert (refused.status_code, refused.json["message"]) == (400, "invalid-new-username")
