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


def production(tmp_path, **changes) -> dict:
    """A production environment that starts, with these changes."""
    return {"ODOP_CONFIG": "production", "SECRET_KEY": "s3cret", "SERVER_NAME": "odop.example.org",
            "DATABASE_URL": "postgres://u@db.internal/odop", "ODOP_INSTANCE_PATH": str(tmp_path),
            "WEB_CONCURRENCY": "", "ALLOW_PER_PROCESS_STATE": "", "STRIPE_SECRET_KEY": "",
            "STRIPE_WEBHOOK_SECRET": "", "S3_PUBLIC_BUCKET": "", "S3_PRIVATE_BUCKET": "",
            "STORAGE_BACKEND": "local", "CACHE_TYPE": "SimpleCache",
            "RATELIMIT_STORAGE_URI": "memory://", **changes}


def refusal(tmp_path, **changes) -> list[str]:
    result = start(production(tmp_path, **changes))
    assert result.returncode != 0, "it started"
    return result.stderr.strip().splitlines()


def test_production_refuses_several_workers_each_counting_limits_and_caching_alone(tmp_path):
    assert refusal(tmp_path, WEB_CONCURRENCY="3") == [
        "3 workers would each count rate limits on their own: set "
        "RATELIMIT_STORAGE_URI=redis://..., or ALLOW_PER_PROCESS_STATE=1.",
        "3 workers would each keep a cache that the others never clear: set "
        "CACHE_TYPE=RedisCache and CACHE_REDIS_URL, or ALLOW_PER_PROCESS_STATE=1."]
    assert refusal(tmp_path, WEB_CONCURRENCY="3", CACHE_TYPE="RedisCache",
                   CACHE_REDIS_URL="redis://127.0.0.1:1/0") == [
        "3 workers would each count rate limits on their own: set "
        "RATELIMIT_STORAGE_URI=redis://..., or ALLOW_PER_PROCESS_STATE=1."]


@pytest.mark.parametrize("changes", [
    {"WEB_CONCURRENCY": "1"},
    {"WEB_CONCURRENCY": "3", "ALLOW_PER_PROCESS_STATE": "1"},
    # Nothing listens there: the app starts all the same, and fails open (test_shared_cache.py).
    {"WEB_CONCURRENCY": "3", "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:1/0",
     "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"},
    {"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_1"},
])
def test_production_starts_when_the_settings_agree(tmp_path, changes):
    result = start(production(tmp_path, **changes))
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_stripe_key_without_its_webhook_secret(tmp_path):
    assert refusal(tmp_path, STRIPE_SECRET_KEY="sk_test_1") == [
        "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: "
        "card payments would never be confirmed."]


def test_production_refuses_local_storage_while_a_bucket_is_named(tmp_path):
    assert refusal(tmp_path, S3_PUBLIC_BUCKET="odop-photos", S3_PRIVATE_BUCKET="odop-docs") == [
        "STORAGE_BACKEND is local but S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET are set: "
        "set STORAGE_BACKEND=s3, or unset them."]
    assert refusal(tmp_path, S3_PRIVATE_BUCKET="odop-docs") == [
        "STORAGE_BACKEND is local but S3_PRIVATE_BUCKET is set: "
        "set STORAGE_BACKEND=s3, or unset it."]


def test_an_unknown_log_level_is_one_clear_line(tmp_path):
    result = start({"LOG_LEVEL": "chatty", "ODOP_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode != 0
    assert result.stderr.strip() == "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not 'CHATTY'."
