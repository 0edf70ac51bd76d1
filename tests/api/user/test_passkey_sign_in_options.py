"""POST /api/user/passkey-sign-in-options"""

from __future__ import annotations

ROUTE = "user/passkey-sign-in-options"


class TestReceives:
    def test_nothing_signed_out(self, call):
        assert call(ROUTE, "post", {})["userVerification"] == "required"


class TestReturns:
    def test_any_passkey_of_this_site_a_new_challenge_each_time(self, call):
        first, second = call(ROUTE, "post", {}), call(ROUTE, "post", {})
        assert first["rpId"] == "localhost" and first["allowCredentials"] == []
        assert first["challenge"] != second["challenge"]
        assert first["timeout"] == 300_000

    def test_expired_challenges_are_cleared_as_new_ones_come(self, app, call, frozen_clock):
        from dashboard import storage

        call(ROUTE, "post", {})
        frozen_clock.advance(seconds=300)
        call(ROUTE, "post", {})
        with app.app_context():
            assert storage.Challenge.select().count() == 1


class TestHttp:
    def test_signed_out_and_limited_as_sign_ins(self, make_app):
        client = make_app(
            ratelimit_enabled=True, create_session_rate_limit="1 per minute"
        ).test_client()
        response = client.post(f"/api/{ROUTE}")
        assert response.status_code == 200 and response.json["challenge"]
        assert client.post(f"/api/{ROUTE}").status_code == 429
