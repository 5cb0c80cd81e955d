"""Two app machines behind Debian's nginx, sharing the database, Redis and the S3 store.

Each "machine" is its own gunicorn (two workers each) with its own disk (STORAGE_ROOT, instance
folder), so anything that still lived on one machine would show here: a photo uploaded through
one and looked for through the other, a login limit counted per process, a cart or a cached
page that only one machine knows about. Requests go through nginx, which spreads them over both;
where a step must land on one machine, it goes to that machine's port, as a sticky client would.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, free_port, make_test_app
from tests.factories import shop
from tests.live import Visitor
from tests.nginx_helpers import nginx
from tests.redis_helpers import redis_server

GUNICORN = Path(sys.executable).with_name("gunicorn")


@contextlib.contextmanager
def machine(name: str, run_dir: Path, overrides: dict):
    """A gunicorn of its own on a free port, with this machine's own disk; yields its URL."""
    disk = run_dir / name
    disk.mkdir(parents=True)
    overrides = {**overrides, "STORAGE_ROOT": str(disk / "storage")}
    port = free_port()
    env = {**os.environ, "ODOP_TEST_OVERRIDES": json.dumps(overrides),
           "ODOP_INSTANCE_PATH": str(disk / "instance")}
    command = [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", "2",
               "--access-logfile", str(disk / "access.log"), "tests.two_machines_app:app"]
    with open(disk / "error.log", "w") as errors:
        # A fixed executable and arguments of this test's making; no shell.
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=errors, stderr=errors)
        try:
            _wait_until_ready(f"http://127.0.0.1:{port}", process, disk / "error.log")
            yield Machine(f"http://localhost:{port}", disk)
        finally:
            process.terminate()
            process.wait(timeout=20)


class Machine:
    def __init__(self, base: str, disk: Path):
        self.base, self.disk = base, disk

    def served(self, request_id: str) -> bool:
        """Whether this machine's access log has the request with this id."""
        log = self.disk / "access.log"
        return log.exists() and request_id in log.read_text()


def _wait_until_ready(base: str, process: subprocess.Popen, errors: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn did not start: {errors.read_text()[-3000:]}")
        # A machine still booting (workers importing the app on a busy CI box) may be slow.
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within 60 s: {errors.read_text()[-3000:]}")


class Cluster:
    def __init__(self, app, first: Machine, second: Machine, front: str):
        self.app, self.first, self.second, self.front = app, first, second, front


@pytest.fixture
def cluster(shared_database_url, tmp_path):
    """(the test's own app on the shared database, machine one, machine two, nginx's URL)."""
    with redis_server() as own_redis:
        shared = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": own_redis.url,
                  "RATELIMIT_STORAGE_URI": own_redis.url, "BEHIND_PROXY": True,
                  "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes"}
        made = make_test_app(shared_database_url, tmp_path, **shared)
        app = next(made)
        shared["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"]
        run_dir = tmp_path / "machines"
        with machine("one", run_dir, shared) as first, machine("two", run_dir, shared) as second:
            upstreams = [m.base.removeprefix("http://localhost") for m in (first, second)]
            with nginx(tmp_path / "nginx", *(f"127.0.0.1{u}" for u in upstreams)) as front:
                yield Cluster(app, first, second, front)
        next(made, None)


def test_nginx_spreads_requests_over_both_machines(cluster):
    ids = []
    for _ in range(6):
        answer = requests.get(f"{cluster.front}/healthz", timeout=30)
        # nginx names each request; the machine that answered logged that name.
        assert answer.status_code == 200
        ids.append(answer.headers["X-Request-ID"])
    time.sleep(0.5)  # gunicorn writes its access line after the response
    served = [(cluster.first.served(i), cluster.second.served(i)) for i in ids]
    assert all(one != two for one, two in served), "each request is in exactly one access log"
    assert any(one for one, _ in served) and any(two for _, two in served)


def test_a_login_limit_is_counted_across_both_machines(cluster):
    saree, _, buyer = shop(cluster.app)
    answers = []
    for attempt in range(6):
        where = (cluster.first, cluster.second)[attempt % 2]
        visitor = Visitor(where.base)
        answers.append(visitor.post("/login", visitor.form(
            "/login", {"email": buyer, "password": "wrong password"})).status_code)
    # Five tries in all, spread over two machines, then refused on either.
    assert answers == [422] * 5 + [429]


def test_a_cart_filled_on_one_machine_is_there_on_the_other(cluster):
    saree, _, buyer = shop(cluster.app)
    on_first = Visitor(cluster.first.base).log_in(buyer)
    on_first.get(f"/products/{saree}")
    added = on_first.post(f"/cart/add/{saree}", {"quantity": "2"})
    assert added.status_code == 303

    on_second = Visitor(cluster.second.base)
    on_second.http.cookies = on_first.http.cookies  # the same browser, the next request
    cart = on_second.get("/cart")
    assert cart.status_code == 200 and "Banarasi saree" in cart.text


def test_a_price_change_on_one_machine_shows_on_both(cluster):
    saree, _, _ = shop(cluster.app)
    page = f"/products/{saree}"
    for where in (cluster.first, cluster.second):
        assert "175.00" not in requests.get(where.base + page, timeout=30).text  # now cached
    seller = _seller_of(cluster.app, saree)
    editor = Visitor(cluster.first.base).log_in(seller)
    changed = editor.post(f"/seller/listings/{saree}/price", editor.form(
        f"/seller/listings/{saree}", {"price": "175", "mrp": "200", "stock": "3",
                                      "lead_time_days": ""}))
    assert changed.status_code in (302, 303), changed.text[:500]
    deadline = time.monotonic() + 5
    for where in (cluster.first, cluster.second):
        while "175.00" not in requests.get(where.base + page, timeout=30).text:
            assert time.monotonic() < deadline, f"{where.base} still shows the old price"
            time.sleep(0.2)


def _seller_of(app, listing_id: int) -> str:
    from odop_bazaar.extensions import db
    from odop_bazaar.models import Listing

    with app.app_context():
        return db.session.get(Listing, listing_id).seller.user.email
