"""Peewee storage: the tables, and the database each app's contexts are bound to."""

from __future__ import annotations

import contextvars
from typing import Any, TypeVar

import peewee

from dashboard import clock

_bound: contextvars.ContextVar[peewee.Database | None] = contextvars.ContextVar(
    "dashboard_database", default=None
)


class ContextDatabase(peewee.DatabaseProxy):
    """The database of the app whose context is current, in this thread or task.

    Models are defined before any app, so they reach their database through this proxy.
    Each app binds its own database when one of its contexts starts, for that context
    alone: two apps in one process, serving at once on two threads, never cross.
    """

    __slots__ = ()

    @property
    def obj(self) -> peewee.Database | None:
        return _bound.get()

    @obj.setter
    def obj(self, database: peewee.Database | None) -> None:
        _bound.set(database)

    def __setattr__(self, name: str, value: Any) -> None:
        # peewee's check reads this class's empty __slots__; the base's are the ones.
        if name not in peewee.DatabaseProxy.__slots__:
            raise AttributeError(f"cannot set {name} on the database proxy")
        object.__setattr__(self, name, value)  # obj: the property above

    @staticmethod
    def bind(database: peewee.Database | None) -> contextvars.Token[peewee.Database | None]:
        """Point this context at ``database``; the token undoes it."""
        return _bound.set(database)

    @staticmethod
    def unbind(token: contextvars.Token[peewee.Database | None]) -> None:
        _bound.reset(token)


db = ContextDatabase()
M = TypeVar("M", bound=peewee.Model)

# Never returned, logged or cached.
SECRET_FIELDS = frozenset(
    {"username_hash", "password_hash", "session_key", "token_hash", "code_hash", "secret"}
)


class BaseModel(peewee.Model):
    # Through a lambda so that a test that replaces clock.now controls these too.
    created_at = peewee.DateTimeField(default=lambda: clock.now())
    updated_at = peewee.DateTimeField(default=lambda: clock.now())

    class Meta:
        database = db
        legacy_table_names = False


class Account(BaseModel):
    accountid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    username_hash = peewee.CharField(max_length=128)
    password_hash = peewee.CharField(max_length=128)
    # Hashed from the password as RFC 8265 prepares it (schema version 3); older ones
    # from the password as typed, until the next sign-in.
    password_prepared = peewee.BooleanField(default=False)
    session_key = peewee.CharField(max_length=64)
    session_key_number = peewee.IntegerField(default=1)
    session_key_last_reset_at = peewee.DateTimeField(null=True)
    last_signed_in_at = peewee.DateTimeField(null=True)
    password_last_changed_at = peewee.DateTimeField(null=True)
    username_last_changed_at = peewee.DateTimeField(null=True)
    deleted_at = peewee.DateTimeField(null=True)
    owner_since = peewee.DateTimeField(null=True)
    administrator_since = peewee.DateTimeField(null=True)
    # schema version 4: the default profile, and when reset codes were last made and used
    profileid = peewee.CharField(max_length=32, null=True)
    reset_code_last_created_at = peewee.DateTimeField(null=True)
    reset_code_last_used_at = peewee.DateTimeField(null=True)
    # schema version 8: the kinds of second factor it has ("totp", "passkey"), by commas
    # (NULL, in rows from before version 8, is none)
    second_factors = peewee.CharField(max_length=32, null=True, default="")

    class Meta:
        indexes = (
            (("appid", "username_hash"), True),
            (("appid", "deleted_at"), False),  # schema version 2
        )


# At most one owner per appid, even when the first accounts register at once.
Account.add_index(
    Account.index(Account.appid, unique=True, where=Account.owner_since.is_null(False))
)


class Session(BaseModel):
    sessionid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    account = peewee.ForeignKeyField(
        Account, column_name="accountid", field="accountid", on_delete="CASCADE"
    )
    token_hash = peewee.CharField(max_length=128)
    csrf_token = peewee.CharField(max_length=64)
    duration = peewee.IntegerField()
    expires_at = peewee.DateTimeField()
    last_verified_at = peewee.DateTimeField()
    ended_at = peewee.DateTimeField(null=True)
    session_key_number = peewee.IntegerField()
    ip_address = peewee.CharField(max_length=64, null=True)
    user_agent = peewee.CharField(max_length=512, null=True)
    # schema version 8: a sign-in that waits for its second factor until then (None:
    # complete), and the wrong ones tried meanwhile
    second_step_until = peewee.DateTimeField(null=True)
    second_step_tries = peewee.IntegerField(null=True, default=0)

    class Meta:
        indexes = ((("account", "appid", "created_at"), False),)


class Profile(BaseModel):
    """An account's name and contact details: personal data, never logged."""

    profileid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    account = peewee.ForeignKeyField(
        Account, column_name="accountid", field="accountid", on_delete="CASCADE"
    )
    full_name = peewee.CharField(max_length=200, null=True)
    contact_email = peewee.CharField(max_length=320, null=True)
    display_email = peewee.CharField(max_length=320, null=True)
    display_name = peewee.CharField(max_length=200, null=True)
    company_name = peewee.CharField(max_length=200, null=True)
    dob = peewee.CharField(max_length=10, null=True)
    phone = peewee.CharField(max_length=30, null=True)
    occupation = peewee.CharField(max_length=200, null=True)
    location = peewee.CharField(max_length=200, null=True)
    website = peewee.CharField(max_length=2048, null=True)

    class Meta:
        indexes = ((("account", "appid", "created_at"), False),)


class ResetCode(BaseModel):
    """A code that can set a new password: stored only as a keyed hash, bound to its account."""

    codeid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    account = peewee.ForeignKeyField(
        Account, column_name="accountid", field="accountid", on_delete="CASCADE"
    )
    code_hash = peewee.CharField(max_length=128)
    # schema version 6: the administrator who made it for the account, or None: its own
    created_by = peewee.CharField(max_length=32, null=True)

    class Meta:
        table_name = "reset_code"
        indexes = (
            (("account", "appid", "created_at"), False),
            (("account", "code_hash"), False),
        )


class Totp(BaseModel):
    """An account's authenticator app (schema version 8): its secret encrypted, pending
    until a first code confirms it, and the last time step a code was used at (a code
    is accepted once)."""

    totpid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    account = peewee.ForeignKeyField(
        Account, column_name="accountid", field="accountid", on_delete="CASCADE"
    )
    secret = peewee.CharField(max_length=256)  # AES-GCM: nonce and ciphertext, base64
    confirmed_at = peewee.DateTimeField(null=True)
    last_used_step = peewee.BigIntegerField(null=True)

    class Meta:
        indexes = ((("account", "appid"), False),)


class Passkey(BaseModel):
    """An account's passkey (schema version 9): a WebAuthn credential's id and public
    key, and the signature counter its authenticator last gave (0: it keeps none)."""

    passkeyid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    account = peewee.ForeignKeyField(
        Account, column_name="accountid", field="accountid", on_delete="CASCADE"
    )
    credential_id = peewee.CharField(max_length=1400)  # base64url of up to 1023 bytes
    public_key = peewee.TextField()  # COSE, base64url
    sign_count = peewee.BigIntegerField(default=0)
    name = peewee.CharField(max_length=200)
    last_used_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("appid", "credential_id"), True),
            (("account", "appid", "created_at"), False),
        )


class Challenge(BaseModel):
    """A WebAuthn challenge given out and not yet used (schema version 9): taken, once,
    by the answer that signs it, before ``expires_at``."""

    challenge = peewee.CharField(max_length=64, primary_key=True)  # base64url, 32 bytes
    appid = peewee.CharField(max_length=64)
    purpose = peewee.CharField(max_length=16)  # "register" or "sign-in"
    accountid = peewee.CharField(max_length=32, null=True)  # whose passkey it registers
    expires_at = peewee.DateTimeField(index=True)


class Metric(peewee.Model):
    """A count of one kind of write: per day, month, year and in total (schema version 5)."""

    appid = peewee.CharField(max_length=64)
    name = peewee.CharField(max_length=32)
    date_key = peewee.CharField(max_length=10)  # YYYY, YYYY-MM, YYYY-MM-DD or total
    value = peewee.BigIntegerField(default=0)

    class Meta:
        database = db
        primary_key = peewee.CompositeKey("appid", "name", "date_key")


class Audit(BaseModel):
    """An administrator's write: who, what, on whom, when (schema version 7). Written in
    the write's own transaction; kept when the account it names is gone (no foreign key)."""

    auditid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    administratorid = peewee.CharField(max_length=32, null=True)  # None: an operator's command
    action = peewee.CharField(max_length=32)
    accountid = peewee.CharField(max_length=32)
    sessionid = peewee.CharField(max_length=32, null=True)
    ip_address = peewee.CharField(max_length=64, null=True)

    class Meta:
        indexes = (
            (("appid", "created_at"), False),
            (("appid", "accountid", "created_at"), False),
        )


MODELS = (Account, Session, Profile, ResetCode, Metric, Audit, Totp, Passkey, Challenge)


def public_data(row: dict[str, Any]) -> dict[str, Any]:
    """A row dict minus its secrets."""
    return {name: value for name, value in row.items() if name not in SECRET_FIELDS}


def write() -> Any:
    """One transaction for all the writes of a route: all of them or none."""
    return db.atomic()


def locked(query: peewee.ModelSelect[M]) -> peewee.ModelSelect[M]:
    """``query`` locking the rows it reads until the transaction ends.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks and needs none: a write
    transaction there holds the whole database from BEGIN (IMMEDIATE).
    """
    if isinstance(db.obj, peewee.PostgresqlDatabase):
        return query.for_update()
    return query


def data(row: peewee.Model) -> dict[str, Any]:
    """A row's fields minus its secrets: what may be cached and serialised."""
    # __data__ holds the column values: a foreign key stays an id, with no extra query.
    return public_data({name: row.__data__.get(name) for name in row._meta.sorted_field_names})
