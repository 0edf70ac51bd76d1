"""How a setting's text becomes its value, and the checks Config.problems makes of values."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from dashboard.config import Config


def convert(name: str, raw: str, kind: str) -> object:
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{name} must be an integer, not {raw!r}") from None
    if kind == "float":
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a number of seconds, not {raw!r}")
        return value
    if kind.startswith("tuple"):  # a comma-separated list
        items = [item.strip() for item in raw.split(",") if item.strip()]
        return tuple(origin(item) if name.endswith("_ORIGINS") else item for item in items)
    if kind == "bool":
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{name} must be true or false, not {raw!r}")
    return raw


def origin(text: str) -> str:
    # How browsers write an origin: scheme://host[:port], lower case, nothing after.
    return text.strip().rstrip("/").lower()


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    return (is_int(value) or isinstance(value, float)) and math.isfinite(value)  # type: ignore[arg-type]


def in_range(
    check: Callable[[str], None], name: str, value: object, low: int, high: int | None
) -> None:
    if not is_int(value):
        check(f"{name} must be an integer")
    elif value < low or (high is not None and value > high):  # type: ignore[operator]
        upper = "" if high is None else f" and at most {high}"
        check(f"{name} must be at least {low}{upper}, not {value}")


def relying_party(check: Callable[[str], None], config: Config) -> None:
    rp_id, origins = config.webauthn_rp_id, config.webauthn_origins
    if config.production and not (rp_id and origins):
        check("WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS are required when DASHBOARD_ENV=production")
    if rp_id is not None and (not rp_id or rp_id != urlsplit(f"//{rp_id}").hostname):
        check(f"WEBAUTHN_RP_ID must be a host name like app.example, not {rp_id!r}")
    for origin in origins if rp_id else ():
        host = urlsplit(origin).hostname or ""
        if host != rp_id and not host.endswith(f".{rp_id}"):
            check(f"WEBAUTHN_ORIGINS has {origin!r}, not on WEBAUTHN_RP_ID {rp_id}")


def known_scheme(
    check: Callable[[str], None], name: str, url: str, schemes: tuple[str, ...]
) -> None:
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme not in schemes:
        check(f"{name} has an unknown scheme {scheme!r}; use one of {', '.join(schemes)}")
