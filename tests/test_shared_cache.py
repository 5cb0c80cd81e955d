"""Rendered parts shared through Redis by every worker, and pages served when Redis is not.

Against real Redis: the server on 127.0.0.1:6379 (TEST_REDIS_URL), each test under a namespace
of its own so parallel workers never meet, and a redis-server a test starts and kills itself.
"""

import logging
import time
import uuid

import pytest
from sqlalchemy import text

from config import TestingConfig
from odop_bazaar import create_app
from odop_bazaar.extensions import db
from tests.conftest import csrf_token, free_port, make_test_app, start, submit
from tests.factories import PASSWORD, shop
from tests.redis_helpers import (
    SHARED_REDIS_URL,
    SilentListener,
    answers,
    forget,
    keys_under,
    redis_server,
    skip_or_fail,
)

ENGLISH_PAGES = ("/", "/states/9", "/districts/187", "/sectors/handloom", "/search?q=saree")
# The same pages in Hindi, at their own addresses (i18n.py).
BUYER_PAGES = (*ENGLISH_PAGES, *(f"/hi{path}" for path in ENGLISH_PAGES))


@pytest.fixture
def namespace():
    """A key namespace of this test's own, emptied afterwards."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    if answers(SHARED_REDIS_URL):
        forget(SHARED_REDIS_URL, name)


@pytest.fixture
def shared_redis():
    if not answers(SHARED_REDIS_URL):
        skip_or_fail("ODOP_REQUIRE_REDIS", f"no Redis answers at {SHARED_REDIS_URL} "
                                           "(start redis-server, or set TEST_REDIS_URL)")
    return SHARED_REDIS_URL


@pytest.fixture
def redis_app(shared_database_url, tmp_path, namespace, shared_redis):
    yield from make_test_app(shared_database_url, tmp_path, CACHE_TYPE="RedisCache",
                             CACHE_REDIS_URL=shared_redis, CACHE_NAMESPACE=namespace)


@pytest.fixture
def app_with(shared_database_url, tmp_path):
    """make_test_app for a test that needs settings of its own; torn down afterwards."""
    made = []

    def make(**overrides):
        made.append(make_test_app(shared_database_url, tmp_path, **overrides))
        return next(made[-1])

    yield make
    for generator in made:
        next(generator, None)


@pytest.fixture
def worker(redis_app):
    """Another instance of the app (a second worker or machine) on the same database."""
    made = []

    def make(**overrides):
        settings = {name: redis_app.config[name] for name in (
            "SQLALCHEMY_DATABASE_URI", "MAIL_FILE_DIR", "STORAGE_ROOT", "CACHE_TYPE",
            "CACHE_REDIS_URL", "CACHE_NAMESPACE", "CODE_VERSION")}
        made.append(create_app(TestingConfig, **{**settings, **overrides}))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def rename_behind_the_caches_back(app, listing_id, title):
    """Change what the home page shows without telling anyone: only a page rendered now shows it."""
    with app.app_context():
        db.session.execute(text("UPDATE shop_listing SET title = :title WHERE listing_id = :id"),
                           {"title": title, "id": listing_id})
        db.session.commit()


def home(app) -> str:
    response = app.test_client().get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_part_rendered_by_one_worker_is_served_by_another(redis_app, worker, namespace):
    saree, _, _ = shop(redis_app)
    assert "Banarasi saree" in home(redis_app)
    assert keys_under(SHARED_REDIS_URL, namespace), "the part was not stored in Redis"
    rename_behind_the_caches_back(redis_app, saree, "Renamed saree")

    assert "Banarasi saree" in home(worker()), "the second worker rendered the page again"
    # An instance with a namespace of its own renders the page afresh: the rename is there.
    assert "Renamed saree" in home(worker(CACHE_NAMESPACE=f"{namespace}-other"))


def test_new_code_never_serves_the_parts_old_code_rendered(redis_app, worker, namespace):
    saree, _, _ = shop(redis_app)
    assert "Banarasi saree" in home(worker(CODE_VERSION="release-1"))
    rename_behind_the_caches_back(redis_app, saree, "Renamed saree")

    assert "Renamed saree" in home(worker(CODE_VERSION="release-2"))
    assert "Banarasi saree" in home(worker(CODE_VERSION="release-1"))
    # Both versions' parts live under the one namespace, each under its own version.
    versions = {key.split(b":")[1] for key in keys_under(SHARED_REDIS_URL, namespace)}
    assert {b"release-1", b"release-2"} <= versions


def test_keys_carry_a_hash_of_the_code_unless_a_version_is_configured(tmp_path):
    from odop_bazaar.code_version import content_hash

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/a.sqlite3")
    assert app.config["CACHE_KEY_PREFIX"] == f"odop:{content_hash()}:"
    named = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/a.sqlite3",
                       CODE_VERSION="4f2a9c1")
    assert named.config["CACHE_KEY_PREFIX"] == "odop:4f2a9c1:"


def test_production_takes_redis_from_the_environment_and_gets_the_fail_safe_backend(tmp_path):
    result = start({"ODOP_CONFIG": "production", "SECRET_KEY": "s3cret",
                    "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3", "SERVER_NAME": "odop.test",
                    "ODOP_INSTANCE_PATH": str(tmp_path), "CACHE_TYPE": "RedisCache",
                    "CACHE_REDIS_URL": "redis://10.0.0.9:6380/2", "ODOP_CODE_VERSION": "abc123"},
                   "import wsgi; from odop_bazaar.extensions import cache; c = cache.cache; "
                   "print(type(c).__name__, c.key_prefix, c._write_client.connection_pool)")
    assert result.returncode == 0, result.stderr
    backend, prefix, pool = result.stdout.split(maxsplit=2)
    assert (backend, prefix) == ("FailSafeRedisCache", "odop:abc123:")
    assert "host=10.0.0.9,port=6380,db=2" in pool


def test_the_code_version_follows_the_content_of_the_code_not_its_file_times(tmp_path):
    from odop_bazaar.code_version import content_hash

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<h1>{{ title }}</h1>")
    before = content_hash(tmp_path)
    page.touch()  # a new checkout on another machine: other times, the same content
    assert content_hash(tmp_path) == before
    page.write_text("<h1 class=big>{{ title }}</h1>")
    assert content_hash(tmp_path) != before


def buyer_pages_and_a_sign_in(app, buyer_email, product_id) -> list[int]:
    """What a visitor gets: every buyer page, the login page, and a sign-in (a form POST)."""
    client = app.test_client()
    answers_ = [client.get(path, follow_redirects=True).status_code
                for path in (*BUYER_PAGES, f"/products/{product_id}")]
    answers_.append(client.get("/login").status_code)
    answers_.append(submit(client, "/login", {"email": buyer_email, "password": PASSWORD})
                    .status_code)
    return answers_


WORKING = [200] * (len(BUYER_PAGES) + 2) + [302]


def test_pages_are_served_when_nothing_listens_where_redis_should_be(app_with, caplog):
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    app = app_with(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=nowhere, RATELIMIT_STORAGE_URI=nowhere)
    saree, _, buyer = shop(app)
    with caplog.at_level(logging.WARNING, logger="odop_bazaar.cache_backends"):
        assert buyer_pages_and_a_sign_in(app, buyer, saree) == WORKING
        assert buyer_pages_and_a_sign_in(app, buyer, saree) == WORKING
    # One warning for the outage, not one per request.
    assert len([r for r in caplog.records if "Redis cache unavailable" in r.message]) == 1


def test_sign_ins_are_still_limited_while_the_limits_redis_is_down(app_with):
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    app = app_with(RATELIMIT_STORAGE_URI=nowhere, LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes")
    _, _, buyer = shop(app)
    client = app.test_client()
    tries = [submit(client, "/login", {"email": buyer, "password": "wrong"}).status_code
             for _ in range(4)]
    # Counted in the worker's memory until that Redis answers again.
    assert tries == [422, 422, 422, 429]


def test_a_hung_redis_is_asked_once_then_left_alone_for_a_while(app_with):
    with SilentListener() as hung:
        app = app_with(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=hung.url,
                       CACHE_REDIS_RETRY_AFTER=600)
        saree, _, buyer = shop(app)
        assert buyer_pages_and_a_sign_in(app, buyer, saree) == WORKING
        # Each page asks the cache several times; without the rest each would wait for Redis.
        assert len(hung.connections) == 1


def test_pages_are_served_while_redis_is_stopped_and_cached_again_once_it_is_back(
        app_with, namespace):
    with redis_server() as own:
        app = app_with(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=own.url,
                       RATELIMIT_STORAGE_URI=own.url, CACHE_NAMESPACE=namespace,
                       CACHE_REDIS_RETRY_AFTER=0.2)
        saree, _, buyer = shop(app)
        assert buyer_pages_and_a_sign_in(app, buyer, saree) == WORKING
        assert keys_under(own.url, namespace)

        own.stop()
        assert buyer_pages_and_a_sign_in(app, buyer, saree) == WORKING
        csrf_token(app.test_client(), "/login")  # a fresh visitor's form still has its token

        own.start()  # empty: nothing was saved
        deadline = time.monotonic() + 10
        while not keys_under(own.url, namespace) and time.monotonic() < deadline:
            home(app)
            time.sleep(0.1)
        assert keys_under(own.url, namespace), "the cache did not use Redis again"


def warnings_and_errors(records) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in records if r.levelno >= logging.WARNING]


def test_with_redis_stopped_pages_render_limits_hold_and_one_warning_each(app_with, caplog):
    with redis_server() as own:
        app = app_with(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=own.url,
                       RATELIMIT_STORAGE_URI=own.url, LOGIN_LIMIT_PER_ACCOUNT="4 per 15 minutes",
                       CACHE_REDIS_RETRY_AFTER=0.2)
        saree, _, buyer = shop(app)
        assert buyer_pages_and_a_sign_in(app, buyer, saree) == WORKING

        own.stop()
        with caplog.at_level(logging.INFO):
            for _ in range(3):
                assert buyer_pages_and_a_sign_in(app, buyer, saree) == WORKING
            client = app.test_client()
            tries = [submit(client, "/login", {"email": buyer, "password": "wrong"}).status_code
                     for _ in range(5)]
        # Counted in this worker's memory now: four wrong passwords, then refused.
        assert tries == [422, 422, 422, 422, 429]
        logged = warnings_and_errors(caplog.records)
        assert len([m for m in logged if "Redis cache unavailable" in m]) == 1, logged
        # At most one: Flask-Limiter's one Limiter keeps "storage is down" from an earlier
        # test's app, and then it has nothing new to say.
        assert len([m for m in logged if m.startswith("flask-limiter")]) <= 1, logged
        assert len([m for m in logged if "Redis cache" not in m]) <= 1, logged
