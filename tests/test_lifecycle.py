"""Stories of a user's sessions, over HTTP, one test each."""

from __future__ import annotations

import pytest


@pytest.fixture
def account(client):
    # the site's owner first: the story's account is an ordinary one
    owner = {"username": "site-owner", "password": "site-owner-password"}
    assert client.post("/api/user/create-account", json=owner).status_code == 200
    credentials = {"username": "story-teller", "password": "story-password"}
    created = client.post("/api/user/create-account", json=credentials).json
    return {**credentials, "accountid": created["accountid"]}


def sign_in(client, account) -> dict:
    response = client.post(
        "/api/user/create-session",
        json={"username": account["username"], "password": account["password"]},
    )
    assert response.status_code == 200
    session = response.json
    return {
        "Authorization": f"Bearer {session['sessionid']}.{session['token']}",
        "sessionid": session["sessionid"],
    }


def signed_in(client, account, device) -> bool:
    headers = {"Authorization": device["Authorization"]}
    status = client.get(
        f"/api/user/account?accountid={account['accountid']}", headers=headers
    ).status_code
    assert status in (200, 401)
    return status == 200


def patch(client, device, url, **body):
    return client.patch(url, json=body or None, headers={"Authorization": device["Authorization"]})


def test_sign_in_on_two_devices_end_one_the_other_works(client, account):
    laptop, phone = sign_in(client, account), sign_in(client, account)
    assert (
        patch(
            client, laptop, f"/api/user/set-session-ended?sessionid={phone['sessionid']}"
        ).status_code
        == 200
    )
    assert not signed_in(client, account, phone)
    assert signed_in(client, account, laptop)


def test_change_the_password_the_other_device_is_out_this_one_in(client, account):
    laptop, phone = sign_in(client, account), sign_in(client, account)
    url = f"/api/user/set-account-password?accountid={account['accountid']}"
    changed = patch(
        client, laptop, url, **{"new-password": "a-new-password", "password": account["password"]}
    )
    assert changed.status_code == 200
    assert not signed_in(client, account, phone)
    assert signed_in(client, account, laptop)
    old = client.post(
        "/api/user/create-session",
        json={"username": account["username"], "password": account["password"]},
    )
    assert old.status_code == 400
    assert signed_in(client, account, sign_in(client, {**account, "password": "a-new-password"}))


def test_delete_the_account_every_session_out_restore_it_sign_in_again(client, account):
    laptop, phone = sign_in(client, account), sign_in(client, account)
    url = f"/api/user/set-account-deleted?accountid={account['accountid']}"
    assert patch(client, laptop, url, password=account["password"]).status_code == 200
    assert not signed_in(client, account, laptop)
    assert not signed_in(client, account, phone)
    credentials = {"username": account["username"], "password": account["password"]}
    assert client.post("/api/user/create-session", json=credentials).status_code == 403
    assert client.patch("/api/user/reset-account-deleted", json=credentials).status_code == 200
    assert not signed_in(client, account, laptop)  # restoring brings no old session back
    assert signed_in(client, account, sign_in(client, account))


def test_a_session_that_expired_shows_ended_as_its_expiry_time(frozen_clock, client, account):
    first = sign_in(client, account)
    frozen_clock.advance(minutes=25)
    second = sign_in(client, account)
    listed = client.get(
        f"/api/user/sessions?accountid={account['accountid']}",
        headers={"Authorization": second["Authorization"]},
    ).json
    by_id = {session["sessionid"]: session for session in listed}
    assert by_id[first["sessionid"]]["ended"] == by_id[first["sessionid"]]["expiresAt"]
    assert by_id[second["sessionid"]]["ended"] is False
    assert [session["sessionid"] for session in listed] == [second["sessionid"], first["sessionid"]]
