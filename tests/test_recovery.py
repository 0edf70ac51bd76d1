"""Account recovery as a user lives it, and what it leaves in events and logs."""

from __future__ import annotations

import logging

NEW_PASSWORD = "remembered-at-last"


def bearer(session):
    return {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}


def test_forgot_my_password(client, user):
    """An account makes a code, forgets its password, and resets it with the code while
    signed in on two devices."""
    laptop, phone = (
        user.session,
        client.post(
            "/api/user/create-session", json={"username": user.username, "password": user.password}
        ).json,
    )
    account_url = f"/api/user/account?accountid={user.account['accountid']}"
    code = client.post(
        f"/api/user/create-reset-code?accountid={user.account['accountid']}",
        json={"password": user.password},
        headers=bearer(laptop),
    ).json
    assert len(code["secretCode"]) == 40  # written down, somewhere safe

    reset = {
        "username": user.username,
        "new-password": NEW_PASSWORD,
        "secret-code": code["secretCode"],
    }
    assert client.patch("/api/user/reset-account-password", json=reset).status_code == 200

    for device in (laptop, phone):  # both signed out at once
        assert client.get(account_url, headers=bearer(device)).status_code == 401
    old = client.post(
        "/api/user/create-session", json={"username": user.username, "password": user.password}
    )
    assert (old.status_code, old.json["message"]) == (400, "invalid-password")
    new = client.post(
        "/api/user/create-session", json={"username": user.username, "password": NEW_PASSWORD}
    )
    assert new.status_code == 200
    again = client.patch(
        "/api/user/reset-account-password", json={**reset, "new-password": "yet-another-one"}
    )
    assert (again.status_code, again.json["message"]) == (400, "invalid-reset-code")
    codes = client.get(
        f"/api/user/reset-codes-count?accountid={user.account['accountid']}",
        headers=bearer(new.json),
    )
    assert codes.json == 0  # used up


def test_events_of_codes_profiles_and_resets(call, client, user, create_profile, received):
    code = call("user/create-reset-code", "post", user.ask(user.own, password=user.password))
    call("user/delete-reset-code", "delete", user.ask({"codeid": code["codeid"]}))
    profile = create_profile(user)
    call("user/update-profile", "patch", user.ask({"profileid": profile["profileid"]}, phone="123"))
    second = create_profile(user)
    call("user/delete-profile", "delete", user.ask({"profileid": second["profileid"]}))
    code = call("user/create-reset-code", "post", user.ask(user.own, password=user.password))
    call(
        "user/reset-account-password",
        "patch",
        {
            "body": {
                "username": user.username,
                "new-password": NEW_PASSWORD,
                "secret-code": code["secretCode"],
            }
        },
    )
    names = [name for name, _ in received]
    assert names == [
        "reset-code-created",
        "reset-code-deleted",
        "profile-created",
        "profile-updated",
        "profile-created",
        "profile-deleted",
        "reset-code-created",
        "password-reset",
    ]
    assert all(data["accountid"] == user.account["accountid"] for _, data in received)


def test_no_code_password_or_profile_value_in_any_log_line(client, user, caplog):
    caplog.set_level(logging.DEBUG)
    code = client.post(
        f"/api/user/create-reset-code?accountid={user.account['accountid']}",
        json={"password": user.password},
        headers=user.bearer,
    ).json
    profile = {
        "full-name": "Augusta Ada King",
        "contact-email": "countess@example.org",
        "phone": "+44 20 7946 0123",
    }
    client.post(
        f"/api/user/create-profile?accountid={user.account['accountid']}",
        json=profile,
        headers=user.bearer,
    )
    client.patch(
        "/api/user/reset-account-password",
        json={
            "username": user.username,
            "new-password": NEW_PASSWORD,
            "secret-code": code["secretCode"],
        },
    )
    text = caplog.text
    assert "event=password-reset" in text and "event=profile-created" in text
    for secret in (code["secretCode"], NEW_PASSWORD, user.password, *profile.values()):
        assert secret not in text
