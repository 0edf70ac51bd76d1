"""How a page answers: rendered under the pages' own policy, or 303 elsewhere."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from flask import Response, current_app, redirect, render_template, request, url_for

from dashboard.config import Config
from dashboard.pages import door, forms
from dashboard.pages.door import Outcome
from dashboard.pages.messages import message

REMEMBER = (("", "20 minutes"), ("hours", "8 hours"), ("days", "30 days"))

# The pages' own stylesheet and forms to this site, and nothing else: no script.
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# The pages with a passkey button: the same, and the site's one script (passkey.js).
SCRIPT_POLICY = POLICY.replace("default-src 'none';", "default-src 'none'; script-src 'self';")


def render(template: str, status: int = 200, policy: str = POLICY, **context: Any) -> Response:
    """A page: ``template`` with ``context``, under the pages' own ``policy``."""
    response = current_app.response_class(
        render_template(template, **context), status=status, mimetype="text/html"
    )
    response.headers["Content-Security-Policy"] = policy
    return response


def form_page(template: str, failed: dict[str, Any] | None = None, **context: Any) -> Response:
    """A page with a form: ``failed`` (from ``problems``) gives its status and errors, and
    what was posted is shown again (never a secret) unless ``context`` has ``values``."""
    failed = failed or {}
    errors = {name: value for name, value in failed.items() if name != "status"}
    context.setdefault("values", forms.kept_values() if request.method == "POST" else {})
    return render(template, failed.get("status", 200), **context, **errors)


def see_other(location: str, cookies: list[tuple[str, str]] | None = None) -> Response:
    """303 to ``location`` (a path of this site), with the cookies a route set."""
    response = cast(Response, redirect(location, 303))
    response.headers.extend(cookies or [])
    return response


def signed_in(view: Callable[..., Response]) -> Callable[..., Response]:
    """The view of a signed-in page, given the browser's Session object first. Signed
    out, it sends the browser to sign in and back (or, its sign-in waiting for a second
    factor, to give it and back); refused (another site's page, the database down), it
    answers the refusal."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Response:
        current = door.call("user/current-session", "GET")
        if not current.ok:
            return problem_page(current, current_app.extensions["dashboard"].config)
        if current.result.get("secondFactorRequired"):
            return _and_back("pages.second_step")  # its sign-in is not complete yet
        return view(current.result, *args, **kwargs)

    return guarded


def to_sign_in() -> Response:
    """To the sign-in page, and back here after it."""
    return _and_back("pages.sign_in")


def to_verify() -> Response:
    """To confirm it is you (a fresh verification), and back here after it."""
    return _and_back("pages.verify")


def _and_back(endpoint: str) -> Response:
    return see_other(then(endpoint, forms.return_to(request.full_path.rstrip("?"))))


def then(endpoint: str, back: str) -> str:
    """The address of page ``endpoint``, which goes on to ``back`` when done."""
    return f"{url_for(endpoint)}?{urlencode({'return-to': back})}"


def presession_form(
    template: str, config: Config, title: str, back: str, failed: dict[str, Any] | None = None
) -> Response:
    token = forms.presession_token()
    response = form_page(
        template,
        failed,
        title=title,
        presession=token,
        return_to=back,
        remember=REMEMBER,
        profile_fields=config.user_profile_fields if config.require_profile else (),
    )
    forms.keep_presession(response, token, config)
    return response


def problems(outcome: Outcome, config: Config, route: str | None = None) -> dict[str, Any]:
    """A form's errors from what a route answered: by field, and for the summary."""
    code = outcome.error or "unknown-error"
    return refused(code, config, outcome.field, outcome.status, route)


def refused(
    code: str,
    config: Config,
    field: str | None = None,
    status: int = 403,
    route: str | None = None,
) -> dict[str, Any]:
    text = message(code, config, route)
    return {
        "status": status,
        "errors": [{"field": field, "text": text}],
        "field_errors": {field: text} if field else {},
    }


def problem_page(outcome: Outcome, config: Config) -> Response:
    """A route's refusal as a page: signed out, to sign in; a verification too old for
    an administrator's write, to confirm it is you; else its words."""
    if outcome.signed_out:
        return to_sign_in()
    if outcome.error == "Verification required":
        return to_verify()
    if outcome.error == "Second factor required" and outcome.status == 401:
        return _and_back("pages.second_step")
    text = message(outcome.error or "unknown-error", config)
    title = TITLES.get(outcome.error or "", "Something went wrong")
    return render("pages/problem.html", outcome.status, title=title, text=text)


TITLES = {"Administrator required": "Administrators only"}
NOT_FOUND = "There is no page at this address. Check it, or start from your account."


def not_found() -> Response:
    return render("pages/problem.html", 404, title="Page not found", text=NOT_FOUND)
