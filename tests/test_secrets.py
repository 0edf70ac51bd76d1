"""No response body, log line or cache entry holds a password, token, token hash or session key."""

from __future__ import annotations

import logging

from dashboard import storage


def test_a_whole_session_leaks_no_secret(make_app, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    app = make_app(cache_url=f"filesystem://{tmp_path / 'cache'}", ratelimit_enabled=True)
    client = app.test_client()
    password, username = "the-password-1", "secret-user"
    new_password, new_username = "the-password-2", "renamed-user"
    bodies = []

    def record(response):
        bodies.append(response.get_data(as_text=True))
        return response

    record(
        client.post("/api/user/create-account", json={"username": username, "password": password})
    )
    signed_in = client.post(
        "/api/user/create-session", json={"username": username, "password": password}
    )
    session = signed_in.json
    record(
        client.post(
            "/api/user/create-session", json={"username": username, "password": "wrong-password"}
        )
    )
    bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    record(client.get(f"/api/user/account?accountid={session['accountid']}", headers=bearer))
    record(client.get(f"/api/user/session?sessionid={session['sessionid']}", headers=bearer))
    record(client.get("/api/user/account?accountid=acct_0000000000000000", headers=bearer))
    record(
        client.patch(
            f"/api/user/reset-session-key?accountid={session['accountid']}", headers=bearer
        )
    )
    record(client.get(f"/api/user/account?accountid={session['accountid']}", headers=bearer))
    # the rest of what a signed-in user can do, on a new session
    signed_in = client.post(
        "/api/user/create-session", json={"username": username, "password": password}
    )
    session = signed_in.json
    bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    own = f"accountid={session['accountid']}"
    record(
        client.patch(
            f"/api/user/set-session-verified?sessionid={session['sessionid']}",
            json={"username": username, "password": password},
            headers=bearer,
        )
    )
    record(client.get(f"/api/user/sessions?{own}", headers=bearer))
    record(client.get(f"/api/user/sessions-count?{own}", headers=bearer))
    record(
        client.patch(
            f"/api/user/set-account-username?{own}",
            json={"new-username": new_username, "password": password},
            headers=bearer,
        )
    )
    record(
        client.patch(
            f"/api/user/set-account-password?{own}",
            json={"new-password": new_password, "password": password},
            headers=bearer,
        )
    )
    record(
        client.patch(
            f"/api/user/set-account-deleted?{own}", json={"password": new_password}, headers=bearer
        )
    )
    record(
        client.patch(
            "/api/user/reset-account-deleted",
            json={"username": new_username, "password": new_password},
        )
    )

    with app.app_context():
        account_row = storage.Account.get_by_id(session["accountid"])
        session_row = storage.Session.get_by_id(session["sessionid"])
    cache_files = b"".join(path.read_bytes() for path in (tmp_path / "cache").iterdir())
    secrets = {
        "password": password,
        "username": username,
        "new password": new_password,
        "new username": new_username,
        "token": session["token"],
        "token hash": session_row.token_hash,
        "session key": account_row.session_key,
        "password hash": account_row.password_hash,
    }
    assert cache_files, "the cache held nothing, so the check below would prove nothing"
    assert "event=sign-in-failed" in caplog.text
    for name, secret in secrets.items():
        assert all(secret not in body for body in bodies), f"{name} in a response body"
        assert secret not in caplog.text, f"{name} in the log"
        assert secret.encode() not in cache_files, f"{name} in the cache"
    # the one place a token appears: the create-session answer, once
    assert signed_in.json["token"] == session["token"]
    assert session_row.token_hash not in signed_in.get_data(as_text=True)
