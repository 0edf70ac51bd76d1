"""PATCH /api/user/reset-account-deleted"""

from __future__ import annotations

import pytest

from dashboard import storage

ROUTE = "user/reset-account-deleted"
URL = "/api/user/reset-account-deleted"


@pytest.fixture
def deleted(frozen_clock, call, user):
    call("user/set-account-deleted", "patch", user.ask(user.own, password=user.password))
    return user


def restore(user, **body):
    return {"body": {"username": user.username, "password": user.password, **body}}


class TestExceptions:
    class TestInvalidUsername:
        def test_missing_posted_username(self, error_of, deleted):
            assert error_of(ROUTE, "patch", restore(deleted, username="")) == "invalid-username"

    class TestInvalidPassword:
        def test_missing_posted_password(self, error_of, deleted):
            assert error_of(ROUTE, "patch", restore(deleted, password="")) == "invalid-password"

        def test_wrong_posted_password(self, app, error_of, deleted):
            assert (
                error_of(ROUTE, "patch", restore(deleted, password="wrong-password"))
                == "invalid-password"
            )
            with app.app_context():
                row = storage.Account.get_by_id(deleted.account["accountid"])
            assert row.deleted_at is not None

        def test_unknown_username(self, error_of, deleted, bcrypt_calls):
            assert (
                error_of(ROUTE, "patch", restore(deleted, username="nobody-here"))
                == "invalid-password"
            )
            assert bcrypt_calls == ["checkpw"]

    class TestInvalidAccount:
        def test_account_not_scheduled_for_deletion(self, error_of, user):
            assert error_of(ROUTE, "patch", restore(user)) == "invalid-account"

        def test_deletion_time_has_passed(self, frozen_clock, error_of, deleted):
            frozen_clock.advance(days=7)
            assert error_of(ROUTE, "patch", restore(deleted)) == "invalid-account"


class TestReceives:
    def test_required_posted_username_and_password(self, call, deleted):
        assert "deletedAt" not in call(ROUTE, "patch", restore(deleted))


class TestReturns:
    def test_object(self, app, call, deleted):
        account = call(ROUTE, "patch", restore(deleted))
        assert account["object"] == "account"
        assert account["accountid"] == deleted.account["accountid"]
        with app.app_context():
            assert storage.Account.get_by_id(deleted.account["accountid"]).deleted_at is None

    def test_just_before_the_deletion_time(self, frozen_clock, call, deleted):
        frozen_clock.advance(days=6, hours=23, minutes=59)
        assert "deletedAt" not in call(ROUTE, "patch", restore(deleted))


class TestHttp:
    def test_needs_no_account(self, client, deleted):
        response = client.patch(
            URL, json={"username": deleted.username, "password": deleted.password}
        )
        assert response.status_code == 200
        signed_in = client.post(
            "/api/user/create-session",
            json={"username": deleted.username, "password": deleted.password},
        )
        assert signed_in.status_code == 200

    def test_not_scheduled_is_403(self, client, user):
        response = client.patch(URL, json={"username": user.username, "password": user.password})
        assert (response.status_code, response.json["message"]) == (403, "invalid-account")

    def test_unknown_username_and_wrong_password_look_the_same(self, client, deleted):
        unknown = client.patch(URL, json={"username": "nobody-here", "password": deleted.password})
        wrong = client.patch(URL, json={"username": deleted.username, "password": "wrong-password"})
        assert unknown.status_code == wrong.status_code == 400
        assert unknown.get_data() == wrong.get_data()

    def test_rate_limited_like_sign_in(self, make_app, deleted):
        client = make_app(
            ratelimit_enabled=True, create_session_username_rate_limit="2 per hour"
        ).test_client()
        for _ in range(2):
            assert (
                client.patch(
                    URL, json={"username": deleted.username, "password": "wrong-password"}
                ).status_code
                == 400
            )
        blocked = client.patch(
            URL, json={"username": deleted.username, "password": deleted.password}
        )
        assert (blocked.status_code, blocked.json["message"]) == (429, "rate-limited")
        # the budget is shared with sign-in: it checks the same password
        signed_in = client.post(
            "/api/user/create-session",
            json={"username": deleted.username, "password": deleted.password},
        )
        assert signed_in.status_code == 429
