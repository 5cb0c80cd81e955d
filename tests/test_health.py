"""/healthz and /readyz: answered to a load balancer addressing the machine by IP, naming what
failed and nothing secret."""

import logging

import pytest

from config import TestingConfig
from odop_bazaar import create_app, health
from tests.conftest import free_port
from tests.redis_helpers import SHARED_REDIS_URL, answers

BY_IP = "http://10.0.0.5:8000"  # TestingConfig's SERVER_NAME is localhost: TRUSTED_HOSTS refuses it


@pytest.fixture
def registered_checks():
    """Checks a test registers are removed afterwards."""
    before = dict(health._CHECKS)
    yield
    health._CHECKS.clear()
    health._CHECKS.update(before)


def test_healthz_answers_a_load_balancer_that_names_the_machine_by_ip(app):
    client = app.test_client()
    assert client.get("/login", base_url=BY_IP).status_code == 400  # the host check stands

    response = client.get("/healthz", base_url=BY_IP)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Request-ID"]


def test_readyz_asks_the_database_and_says_which_checks_ran(app):
    response = app.test_client().get("/readyz", base_url="http://app-1.internal:8000")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "not configured"  # SimpleCache: no Redis to ask
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_the_health_paths_are_not_pages_in_another_language_or_for_posting(app):
    client = app.test_client()
    assert client.get("/hi/healthz").status_code == 404
    response = client.post("/readyz", base_url=BY_IP)
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD"


def test_a_database_that_does_not_answer_is_503_naming_it_but_not_its_address(tmp_path):
    port = free_port()
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=(
        f"postgresql+psycopg://odop:hunter2@127.0.0.1:{port}/odop?connect_timeout=2"),
        STORAGE_ROOT=str(tmp_path))
    client = app.test_client()
    assert client.get("/healthz", base_url=BY_IP).status_code == 200  # alive all the same

    response = client.get("/readyz", base_url=BY_IP)
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing" and body["failed"] == ["database"]
    text = response.get_data(as_text=True)
    assert "hunter2" not in text and str(port) not in text and "odop@" not in text


def test_a_redis_that_is_down_degrades_readiness_without_taking_the_machine_out(app_with_redis):
    app = app_with_redis(f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    response = app.test_client().get("/readyz", base_url=BY_IP)
    assert response.status_code == 200  # pages still render without it (cache_backends.py)
    body = response.get_json()
    assert body["status"] == "degraded"
    assert sorted(body["failed"]) == ["cache", "limiter"]
    assert "hunter2" not in response.get_data(as_text=True)


def test_an_operator_may_make_redis_required(app_with_redis):
    app = app_with_redis(f"redis://127.0.0.1:{free_port()}/0", READYZ_OPTIONAL="")
    response = app.test_client().get("/readyz", base_url=BY_IP)
    assert response.status_code == 503
    assert sorted(response.get_json()["failed"]) == ["cache", "limiter"]


def test_a_redis_that_answers_is_ok(app_with_redis):
    if not answers(SHARED_REDIS_URL):
        pytest.skip(f"no Redis at {SHARED_REDIS_URL}")
    response = app_with_redis(SHARED_REDIS_URL).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] | {"database": "ok"} == {
        "database": "ok", "cache": "ok", "limiter": "ok", "queue": "not configured",
        "storage": "ok"}


def test_a_registered_check_that_fails_makes_readyz_503_without_its_message(
        app, registered_checks, caplog):
    def storage_check():
        raise OSError("bucket s3://secret-bucket refused key AKIA123")

    health.register_check("storage", storage_check)
    with caplog.at_level(logging.WARNING, logger="odop_bazaar.health"):
        for _ in range(3):
            response = app.test_client().get("/readyz")
            assert response.status_code == 503
            assert response.get_json()["failed"] == ["storage"]
            assert "secret-bucket" not in response.get_data(as_text=True)
        health.register_check("storage", lambda: True)
        assert app.test_client().get("/readyz").status_code == 200
    # Logged when it starts failing and when it passes again, not at every ask.
    assert [r.getMessage() for r in caplog.records] == [
        "Readiness check storage failed: OSError: bucket s3://secret-bucket refused key AKIA123",
        "Readiness check storage passes again"]


@pytest.fixture
def app_with_redis(shared_database_url, tmp_path):
    from tests.conftest import make_test_app

    made = []

    def make(url, **overrides):
        made.append(make_test_app(shared_database_url, tmp_path, CACHE_TYPE="RedisCache",
                                  CACHE_REDIS_URL=url, RATELIMIT_STORAGE_URI=url, **overrides))
        return next(made[-1])

    yield make
    for generator in made:
        next(generator, None)
