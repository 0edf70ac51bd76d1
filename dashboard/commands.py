"""``flask --app app dashboard ...``: maintenance commands, safe to run from cron."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import peewee
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from dashboard import (
    accounts,
    administrators,
    clock,
    events,
    explorer,
    metrics,
    schema,
    security,
    storage,
)
from dashboard.cache import current_cache
from dashboard.config import current_config
from dashboard.errors import ApiError

COMMANDS: list[click.Command] = []  # the group of each app holds these


def command(name: str) -> Callable[[Callable[..., Any]], click.Command]:
    """A maintenance command, in every app's ``dashboard`` group."""

    def make(function: Callable[..., Any]) -> click.Command:
        made = click.command(name)(with_appcontext(function))
        COMMANDS.append(made)
        return made

    return make


def _says_database_failures(command: Callable[..., Any]) -> Callable[..., Any]:
    # One line and exit status 1, as for any command error, instead of a traceback.
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (peewee.OperationalError, peewee.InterfaceError) as error:
            detail = " ".join(str(error).split())  # libpq's message spans lines
            raise click.ClickException(
                f"the database does not answer ({type(error).__name__}: {detail})"
            ) from None
        except schema.SchemaError as error:
            raise click.ClickException(str(error)) from None

    return run


@command("purge-deleted")
@_says_database_failures
def purge_deleted() -> None:
    """Remove the accounts whose scheduled deletion time has passed, with their sessions,
    profiles and reset codes."""
    click.echo(f"purged {purge(clock.now())} accounts")


@command("migrate")
@_says_database_failures
def migrate_command() -> None:
    """Bring the database schema to this code's version; idempotent, safe on many hosts at once.

    Every start migrates too; this is for doing it before a rollout, and for checking.
    """
    found, now = schema.migrate(current_app.extensions["dashboard"].database)
    click.echo(f"schema version {now}" + (f" (was {found})" if found != now else ""))


def purge(now: datetime) -> int:
    """Delete accounts due for deletion at ``now``; idempotent when hosts run it at once."""
    appid = current_config().appid
    with storage.write():
        due = storage.Account.select(storage.Account.accountid).where(
            (storage.Account.appid == appid) & (storage.Account.deleted_at <= now)
        )
        for model in (storage.Session, storage.Profile, storage.ResetCode):
            model.delete().where(model.account.in_(due)).execute()
        removed = (
            storage.Account.delete()
            .where((storage.Account.appid == appid) & (storage.Account.deleted_at <= now))
            .execute()
        )
        metrics.count(appid, "accounts-deleted", now, by=removed)
        return removed


# Break glass: for an operator who has lost the owner account, or every administrator.
BREAK_GLASS = {
    "set-administrator": (
        administrators.set_administrator,
        "is already an administrator, or is scheduled for deletion",
    ),
    "reset-administrator": (
        administrators.reset_administrator,
        "is not an administrator, or is the owner (who always is one)",
    ),
    "set-owner": (
        lambda appid, accountid, now: administrators.transfer_ownership(
            appid, None, accountid, now
        ),
        "is the owner already, or is scheduled for deletion",
    ),
}


def _break_glass(name: str, accountid: str) -> None:
    change, refusal = BREAK_GLASS[name]
    appid = current_config().appid
    exists = (
        security.is_id(accountid, "acct")
        and storage.Account.select()
        .where((storage.Account.accountid == accountid) & (storage.Account.appid == appid))
        .exists()
    )
    if not exists:
        raise click.ClickException(f"no account {accountid} in appid {appid}")
    try:
        with storage.write():
            change(appid, accountid, clock.now())
            result = accounts.public(appid, accountid)
    except ApiError:
        raise click.ClickException(f"{accountid} {refusal}") from None
    current_cache().invalidate(appid, accountid)
    _audit(appid, accountid, name)
    click.echo(json.dumps(result))


def _audit(appid: str, accountid: str, action: str) -> None:
    events.emit(
        events.administrator_action,
        appid,
        accountid,
        administrator="command-line",
        action=action,
    )


@command("create-account")
@click.argument("username")
@click.option("--owner", is_flag=True, help="Make it the owner (and an administrator).")
@click.option("--administrator", is_flag=True, help="Make it an administrator.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input's first line."
)
@_says_database_failures
def create_account_command(
    username: str, owner: bool, administrator: bool, password_stdin: bool
) -> None:
    """Make an account of USERNAME, with a password asked for at a prompt (or read from
    standard input); prints the Account. How the operator makes the site's owner."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    appid, now = current_config().appid, clock.now()
    try:
        username = accounts.prepared(username, "username", "invalid-username")
        password = accounts.prepared(password, "password", "invalid-password")
        password_hash = accounts.new_password_hash(password)
        with storage.write():
            accountid = accounts.create(appid, username, password_hash, now).accountid
            if owner:
                administrators.make_owner(appid, accountid, now)
            elif administrator:
                administrators.set_administrator(appid, accountid, now)
            result = accounts.public(appid, accountid)
    except ApiError as error:
        raise click.ClickException(REFUSALS.get(error.code, error.code)) from None
    _audit(appid, accountid, "create-account")
    click.echo(json.dumps(result))


# Why create-account refused, for the operator.
REFUSALS = {
    "invalid-username": "the username is empty, or holds characters a username cannot",
    "invalid-username-length": "the username is too short or too long "
    "(MINIMUM_USERNAME_LENGTH, MAXIMUM_USERNAME_LENGTH)",
    "invalid-password": "the password is empty, or holds characters a password cannot",
    "invalid-password-length": "the password is too short or too long "
    "(MINIMUM_PASSWORD_LENGTH, MAXIMUM_PASSWORD_LENGTH)",
    "duplicate-username": "that username is taken",
    "invalid-account": "the site has an owner already: set-owner hands ownership on",
}


@command("set-administrator")
@click.argument("accountid")
@_says_database_failures
def set_administrator_command(accountid: str) -> None:
    """Make ACCOUNTID an administrator (break glass); prints the Account."""
    _break_glass("set-administrator", accountid)


@command("reset-administrator")
@click.argument("accountid")
@_says_database_failures
def reset_administrator_command(accountid: str) -> None:
    """Take ACCOUNTID's administrator rights away (break glass); prints the Account."""
    _break_glass("reset-administrator", accountid)


@command("set-owner")
@click.argument("accountid")
@_says_database_failures
def set_owner_command(accountid: str) -> None:
    """Make ACCOUNTID the owner, whoever owned the site (break glass); prints the Account."""
    _break_glass("set-owner", accountid)


@command("docs")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def docs(folder: Path) -> None:
    """Write the API explorer's pages and openapi.json into FOLDER, as static files."""
    written = explorer.write(current_app, folder)
    click.echo(f"wrote {len(written)} files into {folder}")


def register(app: Flask) -> None:
    """``flask dashboard ...``: a group of this app's own (no group shared between apps)."""
    group = AppGroup("dashboard", help="Dashboard maintenance.")
    for each in COMMANDS:
        group.add_command(each)
    app.cli.add_command(group)
