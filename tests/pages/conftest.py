"""Fixtures of the pages' tests: a browser-like client over https, and its forms."""

from __future__ import annotations

import html
import re

import pytest


class Browser:
    """Flask's test client as a browser on this site: https, same-origin navigation."""

    def __init__(self, app) -> None:
        self.client = app.test_client()
        self.headers = {"Sec-Fetch-Site": "same-origin"}

    def get(self, path: str, headers: dict[str, str] | None = None, **kwargs):
        headers = {**self.headers, **(headers or {})}
        return self.client.get(path, base_url="https://localhost", headers=headers, **kwargs)

    def post(self, path: str, data: dict[str, str], headers: dict[str, str] | None = None):
        return self.client.post(
            path,
            base_url="https://localhost",
            data=data,
            headers={**self.headers, **(headers or {})},
        )

    def form_token(self, path: str, name: str) -> str:
        """The hidden ``name`` field of the page at ``path``."""
        page = self.get(path).get_data(as_text=True)
        found = re.search(rf'name="{name}" value="([^"]+)"', page)
        assert found, f"no {name} in {path}"
        return found.group(1)

    def sign_in(self, username: str, password: str, **more: str):
        token = self.form_token("/account/sign-in", "presession")
        fields = {"presession": token, "username": username, "password": password, **more}
        return self.post("/account/sign-in", fields)

    def csrf(self, path: str = "/account/sessions") -> str:
        return self.form_token(path, "csrf-token")

    def cookie(self, name: str) -> str | None:
        for path in ("/", "/account/"):
            found = self.client.get_cookie(name, domain="localhost", path=path)
            if found is not None:
                return found.value
        return None


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app)


@pytest.fixture
def make_browser(app):
    return lambda: Browser(app)


def errors_of(response) -> list[str]:
    """The error summary's sentences of a page."""
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="summary".*?</div>', page, re.S)
    found = re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", summary.group(0)) if summary else []
    return [html.unescape(text) for text in found]
