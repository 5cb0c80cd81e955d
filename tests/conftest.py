"""Fixtures: a fresh database per test on SQLite, or on PostgreSQL when ODOP_TEST_DB=postgresql.

`make test` runs the suite on SQLite, then again with ODOP_TEST_DB=postgresql when
TEST_DATABASE_URL names a server; that run creates its own database and drops it at the end.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from odop_bazaar import create_app
from odop_bazaar.extensions import db
from odop_bazaar.services.catalogue import search

ROOT = Path(__file__).resolve().parent.parent
BACKEND = os.environ.get("ODOP_TEST_DB", "sqlite")
if BACKEND not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"ODOP_TEST_DB must be sqlite or postgresql, not {BACKEND!r}")


def pytest_report_header(config):
    return f"database backend: {BACKEND}"


@contextlib.contextmanager
def scratch_database(tmp_path):
    """A new, empty database for one test or run; dropped afterwards. Yields its URL."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path / f'scratch-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        raise pytest.UsageError("ODOP_TEST_DB=postgresql needs TEST_DATABASE_URL")
    admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"odop_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def shared_database_url(tmp_path_factory):
    """PostgreSQL: one database for the run, emptied after each test. SQLite: none (per test)."""
    if BACKEND == "sqlite":
        yield None
    else:
        with scratch_database(tmp_path_factory.mktemp("pg")) as url:
            yield url


@pytest.fixture
def app(shared_database_url, tmp_path):
    yield from make_test_app(shared_database_url, tmp_path)


def make_test_app(shared_database_url, tmp_path, **overrides):
    """A test app on a fresh database (yields it, then empties or drops what it made), with
    configuration overrides: for tests that need an app unlike the `app` fixture's."""
    url = shared_database_url or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url,
                     MAIL_FILE_DIR=str(tmp_path / "mail"), STORAGE_ROOT=str(tmp_path / "storage"),
                     **overrides)
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            search.create_index(connection)
    yield app
    with app.app_context():
        db.session.remove()
        if BACKEND == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def stripe_server():
    """localstripe, a stateful Stripe stand-in, on a free local port; its base URL.

    The real stripe library talks to it over HTTP. What it does not do (see tests/test_payments.py):
    replay idempotency keys, decline at confirmation except with card 4000000000000341, Checkout.
    """
    executable = shutil.which("localstripe", path=os.path.dirname(sys.executable))
    if executable is None:
        pytest.skip("localstripe is not installed (pip install -e '.[test]')")
    port = free_port()
    process = subprocess.Popen([executable, "--port", str(port), "--from-scratch"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("localstripe did not start")
    yield base
    process.terminate()
    process.wait(timeout=10)


WEBHOOK_SECRET = "whsec_test_odop"


def card_settings(stripe_server: str) -> dict:
    """The configuration that takes card payments through localstripe at `stripe_server`."""
    return dict(STRIPE_SECRET_KEY="sk_test_odop", STRIPE_PUBLISHABLE_KEY="pk_test_odop",
                STRIPE_API_BASE=stripe_server, STRIPE_JS_URL=f"{stripe_server}/js.stripe.com/v3/",
                STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)


@pytest.fixture
def card_app(shared_database_url, tmp_path, stripe_server):
    """The app with card payments through localstripe."""
    yield from make_test_app(shared_database_url, tmp_path, **card_settings(stripe_server))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """Mail sent through the memory backend during the test."""
    return app.extensions["mail_outbox"]


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


# What a browser sends with a form from one of the site's own pages: browsers send Origin with
# every POST. Only the add-to-cart form, on the product page every visitor shares, relies on it
# in place of a CSRF token (odop_bazaar/same_origin.py).
SAME_ORIGIN = {"Origin": "http://localhost"}


def csrf_token(client, path=None) -> str:
    """The CSRF token of the client's session, read from a page as a browser would: from the
    form on `path`, or, where that page has none (a list whose rows have no buttons now), from
    a page that always has one, as by default: the account page, or for a visitor the login
    page. (Buyer pages carry none: they are the same for everyone.)"""
    if path is not None:
        match = _CSRF.search(client.get(path).get_data(as_text=True))
        if match:
            return match.group(1)
    path = "/account" if client.get("/account").status_code == 200 else "/login"
    match = _CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def submit(client, path, data, *, token_from=None, **kwargs):
    """POST a form with the session's CSRF token, the way the page's own form would."""
    payload = {"csrf_token": csrf_token(client, token_from or path), **data}
    return client.post(path, data=payload, **kwargs)


def log_in(client, email, password="correct-horse-battery"):
    response = submit(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def check_access(app, email, method, path, data, want):
    """Request a route as the person with this email (None: anonymous) and check the answer.

    want is a status code, or "login" for anonymous visitors sent to the login page.
    """
    client = app.test_client()
    if email is not None:
        log_in(client, email)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": csrf_token(client), **(data or {})},
                               headers=SAME_ORIGIN)
    if want == "login":
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    else:
        assert response.status_code == want, (method, path, response.status_code)


def statements(app, client, path) -> int:
    """How many SQL statements the client's GET of this page issues (the page must answer 200)."""
    counted = []
    with app.app_context():
        engine = db.engine

    def count(*args, **kwargs):
        counted.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(counted)


def start(env_changes: dict, code: str = "import wsgi; print(wsgi.app.config['SQLALCHEMY_DATABASE_URI'])"):
    """Run `code` in a fresh Python process in the project's root, with these changes to an
    environment that keeps none of this one's SECRET_KEY, DATABASE_URL and ODOP_CONFIG; the
    finished process."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "DATABASE_URL", "ODOP_CONFIG")}
    env.update(env_changes)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
