"""Errors in words: the one table from an error code to the sentence a page shows.

A sentence may name a setting in braces ({minimum_password_length}), filled from the
app's Config. Where a code means something else on one route, (route, code) says so
first: a sign-in never tells whether the username or the password was wrong.
"""

from __future__ import annotations

from dashboard.config import Config

MESSAGES = {
    # what a person typed
    "invalid-username": "Enter a username.",
    "invalid-username-length": (
        "A username has {minimum_username_length} to {maximum_username_length} characters, "
        "of one script (no emoji or control characters)."
    ),
    "duplicate-username": "That username is taken: choose another.",
    "invalid-new-username": "Enter the new username.",
    "invalid-new-username-length": (
        "A username has {minimum_username_length} to {maximum_username_length} characters, "
        "of one script (no emoji or control characters)."
    ),
    "invalid-password": "The password is not right.",
    "invalid-password-length": (
        "A password has {minimum_password_length} to {maximum_password_length} characters."
    ),
    "invalid-new-password": "Enter the new password.",
    "invalid-new-password-length": (
        "A password has {minimum_password_length} to {maximum_password_length} characters."
    ),
    "invalid-confirm": "The two passwords are not the same.",
    "invalid-remember": "Choose how long to stay signed in.",
    "invalid-secret-code": "Enter the reset code.",
    "invalid-secret-code-length": (
        "A reset code has {minimum_reset_code_length} to {maximum_reset_code_length} characters."
    ),
    "invalid-reset-code": "That username and reset code do not go together.",
    "maximum-reset-codes": "You have {maximum_reset_codes} reset codes: delete one first.",
    "invalid-full-name": "Enter your full name.",
    "invalid-full-name-length": "That name is too long.",
    "invalid-contact-email": "Enter an email address, like name@example.com.",
    "invalid-contact-email-length": "That email address is too long.",
    "invalid-display-email": "Enter an email address, like name@example.com.",
    "invalid-display-email-length": "That email address is too long.",
    "invalid-display-name": "Enter a display name.",
    "invalid-display-name-length": "That display name is too long.",
    "invalid-company-name": "Enter a company name.",
    "invalid-company-name-length": "That company name is too long.",
    "invalid-dob": "Enter a date of birth as year-month-day, like 1990-12-31.",
    "invalid-dob-length": "Enter a date of birth as year-month-day, like 1990-12-31.",
    "invalid-phone": "Enter a phone number.",
    "invalid-phone-length": "That phone number is too long.",
    "invalid-occupation": "Enter an occupation.",
    "invalid-occupation-length": "That occupation is too long.",
    "invalid-location": "Enter a location.",
    "invalid-location-length": "That location is too long.",
    "invalid-website": "Enter a web address that starts with https:// or http://.",
    "invalid-website-length": "That web address is too long.",
    "invalid-default": "Choose yes or no.",
    # what a page asked for, by its links and buttons
    "invalid-account": "That is not yours to change, or the account is scheduled for deletion.",
    "invalid-accountid": "That account was not found.",
    "invalid-sessionid": "That session was not found.",
    "invalid-session": "That session was not found, or has ended.",
    "invalid-profileid": "That profile was not found.",
    "invalid-profile": "That profile was not found.",
    "invalid-reset-codeid": "That reset code was not found.",
    "invalid-offset": "That page of the list does not exist.",
    "invalid-limit": "That page of the list does not exist.",
    "invalid-active": "That list does not exist.",
    "registration-closed": "New accounts are made by the site's operator: ask them for one.",
    "invalid-code": "That code is not right, or was used already: type the one your app shows now.",
    "invalid-totp": "There is no authenticator app to change: start again.",
    "duplicate-totp": "Your account has an authenticator app already.",
    "invalid-credential": "The passkey could not be checked (it took too long): try again.",
    "invalid-assertion": "The passkey could not be checked (it took too long): try again.",
    "duplicate-passkey": "This passkey is added already.",
    "invalid-name": "Give the passkey a name of up to 50 characters.",
    "invalid-passkeyid": "That passkey was not found.",
    "Second factor required": "Confirm your sign-in with your second factor first.",
    "invalid-confirm-username": "Type the account's username, exactly, to delete it.",
    "Administrator required": "This page is for the site's administrators.",
    "Verification required": "Confirm it is you first, then try again.",
    # what the browser sent
    "invalid-csrf-token": "This form was open too long or came from elsewhere: try again.",
    "invalid-origin": "This form came from another site, so it was not sent.",
    "invalid-request-body": "The form could not be read: try again.",
    "invalid-request-size": "The form was too large.",
    "invalid-content-type": "The form could not be read: try again.",
    "invalid-cookie-only": "The form could not be read: try again.",
    # the service
    "rate-limited": "Too many tries. Wait a while, then try again.",
    "storage-unavailable": "The service cannot reach its database just now. Try again soon.",
    "unknown-error": "Something went wrong on our side. Try again soon.",
}
# Where a code means something else on one route.
ON_ROUTE = {
    ("user/create-passkey-options", "invalid-username"): "That is not your username.",
    ("user/create-session-with-passkey", "invalid-assertion"): (
        "That passkey did not sign you in: it is not one of this site's, or it took too long."
    ),
    ("user/create-session", "invalid-password"): "The username or password is not right.",
    ("user/reset-account-deleted", "invalid-password"): "The username or password is not right.",
    ("user/create-session", "invalid-account"): (
        "This account is scheduled for deletion: restore it to sign in."
    ),
    ("user/complete-session", "invalid-session"): (
        "This sign-in has ended (too long, or too many wrong codes): sign in again."
    ),
    **{
        (f"administrator/{write}", "invalid-account"): (
            "You cannot do this to this account: no one acts on the owner's account, only "
            "the owner on an administrator's, and not on one scheduled for deletion."
        )
        for write in (
            "create-reset-code",
            "reset-session-key",
            "set-account-deleted",
            "reset-second-factors",
        )
    },
    ("administrator/delete-account", "invalid-account"): (
        "You cannot delete this account: no one deletes the owner's account, and only the "
        "owner an administrator's."
    ),
    ("administrator/set-account-administrator", "invalid-account"): (
        "This account is an administrator already, or is scheduled for deletion."
    ),
    ("administrator/reset-account-administrator", "invalid-account"): (
        "This account is not an administrator, or is the owner, who always is one."
    ),
    ("administrator/set-owner-account", "invalid-account"): (
        "Only the owner hands ownership on, and not to itself or to an account scheduled "
        "for deletion."
    ),
}


# What a page says after a change went through (?notice=...): only these, never the
# query's own text.
NOTICES = {
    "password": "Your password is changed. Your other sessions have ended.",
    "username": "Your username is changed.",
    "scheduled": (
        "Your account will be deleted in {delete_delay} days, and every session of it has "
        "ended. Until then you can restore it here."
    ),
    "restored": "Your account is restored: sign in.",
    "reset": "Your new password is set, and every session of the account has ended: sign in.",
    "totp-added": "Your authenticator app is on: each sign-in will ask for its code.",
    "totp-removed": "Your authenticator app is removed.",
    "passkey-added": "Your passkey is added: sign in with it next time.",
    "passkey-renamed": "Your passkey is renamed.",
    "passkey-removed": "Your passkey is removed.",
    # an administrator's writes, on the account's page
    "reset-session-key": "Every session of the account has ended.",
    "set-account-administrator": "The account is an administrator now.",
    "reset-account-administrator": "The account is no longer an administrator.",
    "set-owner-account": "The account is the site's owner now.",
    "set-account-deleted": (
        "The account will be deleted in {delete_delay} days; every session of it has ended."
    ),
    "reset-second-factors": "The account's second factors are removed.",
    "deleted": "The account is deleted.",
}


def notice(name: str | None, config: Config) -> str | None:
    """The sentence of notice ``name``, or None for any other."""
    text = NOTICES.get(name or "")
    return text.format_map(vars(config)) if text else None


def message(code: str, config: Config, route: str | None = None) -> str:
    """The sentence for error ``code`` (of ``route``, where given)."""
    text = ON_ROUTE.get((route or "", code)) or MESSAGES.get(code) or MESSAGES["unknown-error"]
    return text.format_map(vars(config))
