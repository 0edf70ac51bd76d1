"""Fixtures of the administrator routes' tests: a site with rows of every kind."""

from __future__ import annotations

import pytest

from tests.conftest import promoted


@pytest.fixture
def site(app, frozen_clock, call, owner, create_user):
    """The owner, an administrator, a user, and a user scheduled for deletion, a second
    apart (oldest first)."""
    frozen_clock.advance(seconds=1)
    administrator = promoted(app, create_user())
    frozen_clock.advance(seconds=1)
    user = create_user()
    frozen_clock.advance(seconds=1)
    deleted = create_user()
    call("user/set-account-deleted", "patch", deleted.ask(deleted.own, password=deleted.password))
    return {"owner": owner, "administrator": administrator, "user": user, "deleted": deleted}


@pytest.fixture
def made(request, frozen_clock, create_user, create_profile, create_code):
    """Two users' rows of the kind the test class names (KIND), a second apart, oldest
    first: (rows, the first user)."""
    rows, users = [], []
    for _ in range(2):
        frozen_clock.advance(seconds=1)
        user = create_user()
        users.append(user)
        kind = request.cls.KIND
        if kind == "sessions":
            rows.append(user.session)
        elif kind == "profiles":
            rows.append(create_profile(user))
        else:
            rows.append(create_code(user))
    return rows, users[0]
