"""Usernames and passwords as RFC 8265 (PRECIS) prepares them, so that look-alikes are one.

Usernames go through the UsernameCaseMapped profile: case, width (full-width letters)
and Unicode normalisation no longer make two accounts, and spaces, controls (NUL),
zero-width and bidi-override characters are refused. Beyond the profile, a username
may not start with a combining mark, nor mix scripts (Latin ``a`` and Cyrillic ``а``
look the same): one script, or Latin with Chinese, Japanese or Korean (Unicode TS 39,
"highly restrictive"). Passwords go through OpaqueString: typed in NFD or NFC, with a
no-break space or a plain one, a password is the same password.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

import precis_i18n
from fontTools.unicodedata import script

# Scripts that are not one's own: digits, punctuation, and marks that take the script
# of the letter they follow.
COMMON_SCRIPTS = frozenset({"Zyyy", "Zinh", "Zzzz"})
# TS 39 "highly restrictive": one script, or Latin with one of these writing systems.
WITH_LATIN = (
    frozenset({"Latn", "Hani", "Hira", "Kana"}),  # Japanese
    frozenset({"Latn", "Hani", "Bopo"}),  # Chinese
    frozenset({"Latn", "Hani", "Hang"}),  # Korean
)


def username(text: str, longest: int) -> str | None:
    """``text`` prepared as a username, or None when it cannot be one.

    ``longest`` is the longest username allowed: text four times longer cannot prepare
    into it (preparation works character by character), and is not prepared at all.
    """
    if not text or len(text) > 4 * longest:
        return None
    try:
        prepared: str = _profile("UsernameCaseMapped").enforce(text)
    except UnicodeError:
        return None
    if unicodedata.category(prepared[0]).startswith("M") or not _one_script(prepared):
        return None
    return prepared


def password(text: str, longest: int) -> str | None:
    """``text`` prepared as a password, or None when it cannot be one."""
    if not text or len(text) > 4 * longest:
        return None
    try:
        prepared: str = _profile("OpaqueString").enforce(text)
    except UnicodeError:
        return None
    return prepared


@functools.cache
def _profile(name: str) -> Any:  # precis_i18n's profile class, untyped
    return precis_i18n.get_profile(name)


def _one_script(text: str) -> bool:
    scripts = {script(character) for character in text} - COMMON_SCRIPTS
    return len(scripts) <= 1 or any(scripts <= allowed for allowed in WITH_LATIN)
