"""The administrator's pages (DESIGN.md §14): the site at a glance, its accounts, its
sessions and the audit, read through the administrator routes (support.py has one
account's page and the writes).

Who may see them is the routes' rule, not the pages': each page calls an administrator
route first, and a browser whose account is not an administrator's gets its refusal as a
403 page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request

from dashboard import clock
from dashboard.pages import charts, door, support
from dashboard.pages.respond import problem_page, render, signed_in

if TYPE_CHECKING:
    from dashboard.extension import State

# The accounts page's lists: which route, and what the page calls it.
ACCOUNT_LISTS = {
    "all": ("administrator/accounts", "Every account"),
    "administrators": ("administrator/administrator-accounts", "Administrators"),
    "deleted": ("administrator/deleted-accounts", "Scheduled for deletion"),
}


def create_blueprint(state: State) -> Blueprint:
    """/administrator/...: the administrator's pages."""
    blueprint = Blueprint(
        "administration", __name__, url_prefix="/administrator", template_folder="../templates"
    )
    config = state.config

    @blueprint.get("/")
    @signed_in
    def overview(session: dict[str, Any]) -> Response:
        today = clock.now().date()
        counts = {
            name: door.call(f"administrator/{route}", "GET", query)
            for name, route, query in (
                ("accounts", "accounts-count", {}),
                ("administrators", "administrator-accounts-count", {}),
                ("sessions", "sessions-count", {"active": "true"}),
                ("deletions", "deleted-accounts-count", {}),
            )
        }
        keys = ",".join(charts.keys(today))
        metrics = door.call("administrator/metric-keys", "GET", {"keys": keys})
        failed = next((c for c in (*counts.values(), metrics) if not c.ok), None)
        if failed is not None:
            return problem_page(failed, config)
        return render(
            "pages/administrator/overview.html",
            title="The site at a glance",
            current=session,
            counts={name: outcome.result for name, outcome in counts.items()},
            charts=charts.charts(today, metrics.result),
        )

    @blueprint.get("/accounts")
    @signed_in
    def accounts(session: dict[str, Any]) -> Response:
        username = request.args.get("username", "").strip()
        shown = request.args.get("show", "all")
        route, heading = ACCOUNT_LISTS.get(shown, ACCOUNT_LISTS["all"])
        if username:
            found = door.call("administrator/accounts", "GET", {"username": username})
            if not found.ok:
                return problem_page(found, config)
            listed, total, offset = found.result, len(found.result), 0
        else:
            listed, total, offset, failed = _page(route, {})
            if failed is not None:
                return problem_page(failed, config)
        return render(
            "pages/administrator/accounts.html",
            title="Accounts",
            current=session,
            accounts=listed,
            total=total,
            heading=heading,
            shown=shown if shown in ACCOUNT_LISTS else "all",
            lists=ACCOUNT_LISTS,
            username=username,
            offset=offset,
            page_size=config.page_size,
        )

    @blueprint.get("/sessions")
    @signed_in
    def sessions(session: dict[str, Any]) -> Response:
        active = request.args.get("active") == "true"
        query = {"active": "true"} if active else {}
        listed, total, offset, failed = _page("administrator/sessions", query)
        if failed is not None:
            return problem_page(failed, config)
        return render(
            "pages/administrator/sessions.html",
            title="Sessions",
            current=session,
            sessions=listed,
            total=total,
            active=active,
            offset=offset,
            page_size=config.page_size,
        )

    @blueprint.get("/audit")
    @signed_in
    def audit(session: dict[str, Any]) -> Response:
        listed, total, offset, failed = _page("administrator/audit", {})
        if failed is not None:
            return problem_page(failed, config)
        return render(
            "pages/administrator/audit.html",
            title="Audit",
            current=session,
            entries=listed,
            total=total,
            actions=support.DONE,
            offset=offset,
            page_size=config.page_size,
        )

    support.add_views(blueprint, state)
    return blueprint


def _page(route: str, query: dict[str, str]) -> tuple[list[Any], int, int, Any]:
    """One page of a list route (?offset=), and its count: (rows, total, offset, the
    outcome that failed or None)."""
    offset = request.args.get("offset", "0")
    listed = door.call(route, "GET", {**query, "offset": offset})
    count = door.call(f"{route}-count", "GET", query)
    for outcome in (listed, count):
        if not outcome.ok:
            return [], 0, 0, outcome
    return listed.result, count.result, int(offset), None
