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
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from dashboard import (
    accounts,
    administrators,
    clock,
    database_url,
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


def running_a_command() -> bool:
    """Whether this process is the ``flask`` command line running a command (this
    group's, or ``routes``, ``shell``...), not serving (``flask run``, a WSGI server).

    The app is made while the command line looks its command up; a command must not
    make a database or keys the service does not have.
    """
    context = click.get_current_context(silent=True)
    return (
        context is not None
        and isinstance(context.find_root().command, FlaskGroup)
        and context.info_name != "run"
    )


def _with_keys() -> None:
    """Refuse, naming them, when the keys that usernames and passwords are hashed with
    are not the service's: not set, and not in the instance folder."""
    config = current_config()
    if not (config.encryption_key and config.session_key):
        raise click.ClickException(
            "DASHBOARD_ENCRYPTION_KEY and DASHBOARD_SESSION_KEY are not set, and the instance "
            f"folder {config.instance_path or current_app.instance_path} holds none: set them "
            "as the service has them"
        )


def _acts_on_the_database(command: Callable[..., Any]) -> Callable[..., Any]:
    # Says on standard error which database it acts on (the cron line's log shows it),
    # refuses one that is not there, and says a failure in one line with exit status 1,
    # as for any command error, instead of a traceback.
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        state = current_app.extensions["dashboard"]
        config = state.config
        instance_path = config.instance_path or current_app.instance_path
        described = database_url.describe(config, instance_path)
        if state.database is None:
            unset = "DATABASE_URL is not set, and " if config.database_url is None else ""
            raise click.ClickException(
                f"no database: {unset}{described} does not exist (a command makes none); "
                "set DATABASE_URL and INSTANCE_PATH as the service has them"
            )
        click.echo(f"database: {described}", err=True)
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
@_acts_on_the_database
def purge_deleted() -> None:
    """Remove the accounts whose scheduled deletion time has passed, with their sessions,
    profiles and reset codes."""
    click.echo(f"purged {purge(clock.now())} accounts")


@command("migrate")
@_acts_on_the_database
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
        removed: int = (
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


def _account(named: str) -> str:
    """The accountid of the account ``named`` names: its ``acct_`` id, or its username
    (in any form that prepares to it); a one-line refusal when none has it."""
    appid = current_config().appid
    if security.is_id(named, "acct"):
        found = storage.Account.get_or_none(
            (storage.Account.accountid == named) & (storage.Account.appid == appid)
        )
    else:
        _with_keys()  # a username is found by its keyed hash
        found = accounts.by_username(appid, named)
    if found is None:
        raise click.ClickException(f"no account {named} in appid {appid}")
    return found.accountid


def _break_glass(name: str, named: str) -> None:
    change, refusal = BREAK_GLASS[name]
    appid, accountid = current_config().appid, _account(named)
    try:
        with administrators.audited(name, appid, accountid):
            change(appid, accountid, clock.now())
            result = accounts.public(appid, accountid)
    except ApiError:
        raise click.ClickException(f"{accountid} {refusal}") from None
    current_cache().invalidate(appid, accountid)
    click.echo(json.dumps(result))


@command("create-account")
@click.argument("username")
@click.option("--owner", is_flag=True, help="Make it the owner (and an administrator).")
@click.option("--administrator", is_flag=True, help="Make it an administrator.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input's first line."
)
@_acts_on_the_database
def create_account_command(
    username: str, owner: bool, administrator: bool, password_stdin: bool
) -> None:
    """Make an account of USERNAME, with a password asked for at a prompt (or read from
    standard input); prints the Account. How the operator makes the site's owner."""
    _with_keys()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    appid, now = current_config().appid, clock.now()
    try:
        username = accounts.prepared(username, "username", "invalid-username")
        password = accounts.prepared(password, "password", "invalid-password")
        password_hash = accounts.new_password_hash(password)
        accountid = security.new_id("acct")
        with administrators.audited("create-account", appid, accountid):
            accounts.create(appid, username, password_hash, now, accountid)
            if owner:
                administrators.make_owner(appid, accountid, now)
            elif administrator:
                administrators.set_administrator(appid, accountid, now)
            result = accounts.public(appid, accountid)
    except ApiError as error:
        raise click.ClickException(REFUSALS.get(error.code, error.code)) from None
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
@click.argument("account")
@_acts_on_the_database
def set_administrator_command(account: str) -> None:
    """Make ACCOUNT (an acct_ id or a username) an administrator; prints the Account."""
    _break_glass("set-administrator", account)


@command("reset-administrator")
@click.argument("account")
@_acts_on_the_database
def reset_administrator_command(account: str) -> None:
    """Take ACCOUNT's administrator rights away (an acct_ id or a username); prints the
    Account."""
    _break_glass("reset-administrator", account)


@command("set-owner")
@click.argument("account")
@_acts_on_the_database
def set_owner_command(account: str) -> None:
    """Make ACCOUNT (an acct_ id or a username) the owner, whoever owned the site (break
    glass); prints the Account."""
    _break_glass("set-owner", account)


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
