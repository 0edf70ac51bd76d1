"""What every form relies on: the way back, and errors in words."""

from __future__ import annotations

import pytest

from dashboard import reference
from dashboard.config import Config
from dashboard.pages import forms, messages


@pytest.mark.parametrize(
    "value",
    [
        "/account/sessions",
        "/notes?id=3",
        "/account/sessions?offset=10#top",
        "/caf%C3%A9",
    ],
)
def test_a_path_on_this_site_is_where_a_form_returns(value):
    assert forms.return_to(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "/%2F%2Fevil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/ok\r\nSet-Cookie: x=y",
        "/" + "a" * 2001,
    ],
)
def test_anything_else_returns_to_the_account(value):
    assert forms.return_to(value) == forms.HOME


def test_every_error_a_users_route_can_answer_has_words():
    codes = {
        answer.code
        for route in reference.routes()
        if route.kind == "user"
        for answer in route.answers
        if answer.object == "error"
    }
    assert codes - set(messages.MESSAGES) == set()


def test_words_name_the_settings_they_depend_on():
    config = Config(minimum_password_length=12, maximum_password_length=64)
    assert messages.message("invalid-password-length", config) == (
        "A password has 12 to 64 characters."
    )


def test_a_sign_in_never_says_which_of_username_and_password_was_wrong():
    said = messages.message("invalid-password", Config(), "user/create-session")
    assert said == "The username or password is not right."
    assert messages.message("invalid-password", Config()) == "The password is not right."


def test_an_unknown_code_is_said_as_an_unknown_error():
    assert messages.message("no-such-code", Config()) == messages.MESSAGES["unknown-error"]
