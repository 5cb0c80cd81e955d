"""Configuration from the environment, and production's refusal to start half-configured."""

from pathlib import Path

import pytest

from tests.conftest import start

ROOT = Path(__file__).resolve().parent.parent


def test_production_refuses_to_start_without_secret_key_and_database_url(tmp_path):
    result = start({"ODOP_CONFIG": "production", "ODOP_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0] and "DATABASE_URL" in lines[0] and "SERVER_NAME" in lines[0]


def test_production_names_just_what_is_missing(tmp_path):
    result = start({"ODOP_CONFIG": "production", "SECRET_KEY": "s3cret",
                    "SERVER_NAME": "odop.example.org", "ODOP_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "ODOP Bazaar will not start in production without DATABASE_URL set in the environment.")


def test_production_starts_with_both_and_sets_secure_cookies(tmp_path):
    result = start({"ODOP_CONFIG": "production", "SECRET_KEY": "s3cret",
                    "DATABASE_URL": "postgres://u@db.internal/odop", "BEHIND_PROXY": "1",
                    "SERVER_NAME": "odop.example.org", "ODOP_INSTANCE_PATH": str(tmp_path)},
                   "import wsgi; c = wsgi.app.config; "
                   "print(c['SQLALCHEMY_DATABASE_URI'], c['SESSION_COOKIE_SECURE'], "
                   "c['REMEMBER_COOKIE_SECURE'], c['SESSION_COOKIE_HTTPONLY'], "
                   "c['BEHIND_PROXY'], c['TRUSTED_HOSTS'], type(wsgi.app.wsgi_app).__name__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgresql+psycopg://u@db.internal/odop", "True", "True",
                                     "True", "True", "['odop.example.org']", "ProxyFix"]


@pytest.mark.parametrize("name", ["development", "testing"])
def test_every_configuration_takes_database_url_from_the_environment(tmp_path, name):
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    result = start({"DATABASE_URL": url, "ODOP_CONFIG": name, "ODOP_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == url


def test_development_is_the_default_on_sqlite_under_instance(tmp_path):
    result = start({"ODOP_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"sqlite:///{tmp_path / 'odop_bazaar.sqlite3'}"


def test_an_unknown_configuration_name_is_one_clear_line(tmp_path):
    result = start({"ODOP_CONFIG": "staging", "ODOP_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "ODOP_CONFIG must be one of development, testing, production, not 'staging'."]
