"""How a page answers: rendered under the pages' own policy, or 303 elsewhere."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from flask import Response, current_app, redirect, render_template, request, url_for

from dashboard.pages import forms

# The pages' own stylesheet and forms to this site, and nothing else: no script at all.
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def render(template: str, status: int = 200, **context: Any) -> Response:
    """A page: ``template`` with ``context``, under the pages' own policy."""
    response = current_app.response_class(
        render_template(template, **context), status=status, mimetype="text/html"
    )
    response.headers["Content-Security-Policy"] = POLICY
    return response


def see_other(location: str, cookies: list[tuple[str, str]] | None = None) -> Response:
    """303 to ``location`` (a path of this site), with the cookies a route set."""
    response = cast(Response, redirect(location, 303))
    response.headers.extend(cookies or [])
    return response


def to_sign_in() -> Response:
    """To the sign-in page, and back here after it."""
    here = request.full_path.rstrip("?")
    return see_other(
        url_for("pages.sign_in") + "?" + urlencode({"return-to": forms.return_to(here)})
    )
