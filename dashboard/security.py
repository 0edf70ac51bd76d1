"""Keyed hashes, password hashing, random tokens and ids, constant-time compares."""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import os
import re
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import bcrypt


def keyed_hash(text: str, key: str) -> str:
    """HMAC-SHA512 of ``text`` under ``key``, as hex."""
    return hmac.new(key.encode(), text.encode("utf-8", "surrogatepass"), hashlib.sha512).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two strings; None equals nothing."""
    if a is None or b is None:
        return False
    return hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )


def username_hash(username: str, encryption_key: str) -> str:
    """What is stored and looked up instead of a username."""
    return keyed_hash(f"username/{username}", encryption_key)


def token_hash(
    accountid: str, token: str, session_key: str, encryption_key: str, server_key: str
) -> str:
    """The stored proof of a session token, bound to the account's current session key."""
    return keyed_hash(f"{accountid}/{token}/{session_key}/{server_key}", encryption_key)


def _prehash(password: str, encryption_key: str) -> bytes:
    # bcrypt reads 72 bytes at most and stops at NUL; a keyed SHA-256 in base64 is 44
    # bytes with neither, so every character of a long password counts.
    digest = hmac.new(
        encryption_key.encode(), password.encode("utf-8", "surrogatepass"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest)


def hash_password(password: str, encryption_key: str, cost: int) -> str:
    """A bcrypt hash of the keyed pre-hash of ``password``."""
    prehash = _prehash(password, encryption_key)
    return _in_background(lambda: bcrypt.hashpw(prehash, bcrypt.gensalt(cost))).decode()


def check_password(password: str, password_hash: str, encryption_key: str) -> bool:
    """True when ``password`` matches ``password_hash``: one bcrypt comparison."""
    prehash = _prehash(password, encryption_key)
    return _in_background(lambda: bcrypt.checkpw(prehash, password_hash.encode()))


BCRYPT_THREADS = 2
_bcrypt_thread: tuple[int, ThreadPoolExecutor] | None = None
_bcrypt_lock = threading.Lock()
T = TypeVar("T")


def _in_background(work: Callable[[], T]) -> T:
    """Run bcrypt on this process's bcrypt threads, at low CPU priority.

    bcrypt releases the GIL and takes 70 to 300 ms. On request threads, a burst of
    sign-ins would take every thread and core. Here they queue for BCRYPT_THREADS threads
    per process, which yield the CPU to other requests' threads whenever both want it.
    Two threads per process keep the cores busy while a sign-in writes its session.
    """
    global _bcrypt_thread
    with _bcrypt_lock:
        if _bcrypt_thread is None or _bcrypt_thread[0] != os.getpid():  # made after any fork
            pool = ThreadPoolExecutor(BCRYPT_THREADS, "bcrypt", initializer=_lower_priority)
            _bcrypt_thread = (os.getpid(), pool)
        pool = _bcrypt_thread[1]
    return pool.submit(work).result()


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # Linux: a thread is a task
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def password_cost(password_hash: str) -> int:
    """The bcrypt cost a stored hash was made with (``$2b$12$...`` is 12)."""
    return int(password_hash.split("$")[2])


@functools.lru_cache(maxsize=4)
def dummy_password_hash(cost: int) -> str:
    """A hash to compare against when no account matched, so both paths cost the same."""
    return bcrypt.hashpw(secrets.token_bytes(16).hex().encode(), bcrypt.gensalt(cost)).decode()


def new_token() -> str:
    """256 random bits as hex: session tokens, session keys, CSRF tokens."""
    return secrets.token_hex(32)


def new_id(prefix: str) -> str:
    """``acct_`` / ``sess_`` + 16 hex characters."""
    return f"{prefix}_{secrets.token_hex(8)}"


_ID = re.compile(r"[a-z]{4}_[0-9a-f]{16}")


def is_id(value: object, prefix: str) -> bool:
    """Whether ``value`` has the shape of a ``prefix`` id that new_id makes.

    Anything else is unknown without asking the database, which may refuse it (a NUL
    byte in PostgreSQL text) rather than find nothing.
    """
    return (
        isinstance(value, str)
        and value.startswith(prefix + "_")
        and _ID.fullmatch(value) is not None
    )
