"""Config.from_env: defaults, parsing, and errors that name the variable."""

from __future__ import annotations

import pytest

from dashboard.config import Config, ConfigError

KEYS = {"DASHBOARD_ENCRYPTION_KEY": "k" * 64, "DASHBOARD_SESSION_KEY": "q" * 64}
RELYING_PARTY = {"WEBAUTHN_RP_ID": "app.example", "WEBAUTHN_ORIGINS": "https://app.example"}


class TestDefaults:
    def test_empty_environment(self):
        config = Config.from_env({})
        assert config.bcrypt_workload_factor == 12
        assert (config.minimum_username_length, config.maximum_username_length) == (6, 50)
        assert (config.minimum_password_length, config.maximum_password_length) == (8, 128)
        assert config.page_size == 10
        assert config.appid == "dashboard"
        assert config.delete_delay == 7
        assert config.session_verification_delay == 14400
        assert config.session_cookie_secure is True
        assert config.ratelimit_enabled is True
        assert config.ratelimit_storage_uri == "memory://"
        assert config.create_session_rate_limit == "10 per minute"
        assert config.create_session_username_rate_limit == "100 per hour"
        assert config.create_account_rate_limit == "10 per hour"
        assert config.cache_url == "null://"
        assert config.database_url is None
        assert config.application_server_token is None
        assert config.maximum_post_data_length == 2_000_000
        assert config.proxy_count == 0
        assert config.production is False
        assert (config.registration, config.first_account_owner) == ("open", False)

    def test_is_frozen(self):
        with pytest.raises(AttributeError):
            Config().appid = "changed"  # type: ignore[misc]


class TestParsing:
    def test_every_variable(self):
        config = Config.from_env(
            {
                **KEYS,
                "DATABASE_URL": "postgresql://127.0.0.1/test",
                "CACHE_URL": "redis://127.0.0.1:6379/0",
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/1",
                "RATELIMIT_ENABLED": "false",
                "CREATE_SESSION_RATE_LIMIT": "5/minute",
                "BCRYPT_WORKLOAD_FACTOR": "10",
                "MINIMUM_PASSWORD_LENGTH": "10",
                "PAGE_SIZE": "25",
                "APPID": "tenant",
                "SESSION_COOKIE_SECURE": "0",
                "APPLICATION_SERVER_TOKEN": "t" * 40,
                "PROXY_COUNT": "2",
                "REGISTRATION": "closed",
                "FIRST_ACCOUNT_OWNER": "true",
            }
        )
        assert config.encryption_key == "k" * 64
        assert config.database_url == "postgresql://127.0.0.1/test"
        assert config.cache_url == "redis://127.0.0.1:6379/0"
        assert config.ratelimit_enabled is False
        assert config.create_session_rate_limit == "5/minute"
        assert config.bcrypt_workload_factor == 10
        assert config.minimum_password_length == 10
        assert config.page_size == 25
        assert config.appid == "tenant"
        assert config.session_cookie_secure is False
        assert config.application_server_token == "t" * 40
        assert config.proxy_count == 2
        assert (config.registration, config.first_account_owner) == ("closed", True)

    def test_empty_values_keep_defaults(self):
        assert Config.from_env({"PAGE_SIZE": "", "APPID": ""}).page_size == 10


class TestErrors:
    @pytest.mark.parametrize(
        ("environ", "named"),
        [
            ({"MINIMUM_USERNAME_LENGTH": "six"}, "MINIMUM_USERNAME_LENGTH"),
            ({"MINIMUM_USERNAME_LENGTH": "60"}, "MINIMUM_USERNAME_LENGTH"),
            ({"MINIMUM_PASSWORD_LENGTH": "0"}, "MINIMUM_PASSWORD_LENGTH"),
            ({"BCRYPT_WORKLOAD_FACTOR": "3"}, "BCRYPT_WORKLOAD_FACTOR"),
            ({"BCRYPT_WORKLOAD_FACTOR": "32"}, "BCRYPT_WORKLOAD_FACTOR"),
            ({"PAGE_SIZE": "0"}, "PAGE_SIZE"),
            ({"PROXY_COUNT": "-1"}, "PROXY_COUNT"),
            ({"MAXIMUM_POST_DATA_LENGTH": "1.5"}, "MAXIMUM_POST_DATA_LENGTH"),
            ({"DATABASE_URL": "oracle://db"}, "DATABASE_URL"),
            ({"CACHE_URL": "memcached://127.0.0.1"}, "CACHE_URL"),
            ({"RATELIMIT_STORAGE_URI": "mongodb://x"}, "RATELIMIT_STORAGE_URI"),
            ({"RATELIMIT_ENABLED": "maybe"}, "RATELIMIT_ENABLED"),
            ({"CREATE_SESSION_RATE_LIMIT": "often"}, "CREATE_SESSION_RATE_LIMIT"),
            ({"DASHBOARD_ENCRYPTION_KEY": "short"}, "DASHBOARD_ENCRYPTION_KEY"),
            ({"DASHBOARD_ENV": "staging"}, "DASHBOARD_ENV"),
            ({"REGISTRATION": "invite-only"}, "REGISTRATION must be open or closed"),
            ({"FIRST_ACCOUNT_OWNER": "first"}, "FIRST_ACCOUNT_OWNER"),
            ({"ALLOWED_ORIGINS": "https://app.example/path"}, "ALLOWED_ORIGINS"),
            ({"DATABASE_KEEPALIVE_IDLE": "0"}, "DATABASE_KEEPALIVE_IDLE"),
            ({"MAXIMUM_RESET_CODES": "0"}, "MAXIMUM_RESET_CODES"),
            ({"WEBAUTHN_ORIGINS": "https://app.example/sign-in"}, "WEBAUTHN_ORIGINS"),
            ({"WEBAUTHN_RP_ID": "https://app.example"}, "WEBAUTHN_RP_ID"),
            ({"WEBAUTHN_RP_ID": "app.example:443"}, "WEBAUTHN_RP_ID"),
            (
                {"WEBAUTHN_RP_ID": "app.example", "WEBAUTHN_ORIGINS": "https://evil.example"},
                "not on WEBAUTHN_RP_ID",
            ),
            (
                {"WEBAUTHN_RP_ID": "app.example", "WEBAUTHN_ORIGINS": "https://notapp.example"},
                "not on WEBAUTHN_RP_ID",
            ),
        ],
    )
    def test_wrong_value_names_the_variable(self, environ, named):
        with pytest.raises(ConfigError, match=named):
            Config.from_env(environ)

    def test_production_requires_both_keys(self):
        with pytest.raises(ConfigError, match="DASHBOARD_ENCRYPTION_KEY"):
            Config.from_env({"DASHBOARD_ENV": "production"})
        with pytest.raises(ConfigError, match="DASHBOARD_SESSION_KEY"):
            Config.from_env({"DASHBOARD_ENV": "production", "DASHBOARD_ENCRYPTION_KEY": "k" * 64})
        production = {"DASHBOARD_ENV": "production", **KEYS, **RELYING_PARTY}
        assert Config.from_env(production).production is True

    def test_production_requires_the_passkeys_relying_party(self):
        production = {"DASHBOARD_ENV": "production", **KEYS}
        with pytest.raises(ConfigError, match="WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS are required"):
            Config.from_env({**production, "WEBAUTHN_RP_ID": "app.example"})

    def test_relying_party_with_its_subdomains_origins(self):
        config = Config.from_env(
            {
                "WEBAUTHN_RP_ID": "app.example",
                "WEBAUTHN_ORIGINS": "https://app.example, HTTPS://Sign-In.App.Example/",
            }
        )
        assert config.webauthn_origins == ("https://app.example", "https://sign-in.app.example")
