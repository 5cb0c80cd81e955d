"""Two app machines behind Debian's nginx, sharing the database, Redis, the S3 store and a
job worker (a process of its own).

Each "machine" is its own gunicorn (two workers each) with its own disk (STORAGE_ROOT, instance
folder), so anything that still lived on one machine would show here: a photo uploaded through
one and looked for through the other, a login limit counted per process, a cart or a cached
page that only one machine knows about. Requests go through nginx, which spreads them over both;
where a step must land on one machine, it goes to that machine's port, as a sticky client would.
"""

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, free_port, make_test_app
from tests.factories import make_jpeg, shop
from tests.live import Visitor
from tests.nginx_helpers import nginx
from tests.redis_helpers import redis_server
from tests.s3_helpers import s3_credentials, s3_server  # noqa: F401

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


@contextlib.contextmanager
def job_worker(run_dir: Path, overrides: dict):
    """`flask worker` for the shared queue, in a process of its own."""
    env = {**os.environ, "ODOP_TEST_OVERRIDES": json.dumps(overrides),
           "ODOP_INSTANCE_PATH": str(run_dir / "worker")}
    with open(run_dir / "worker.log", "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "tests.two_machines_app", "worker"],
            cwd=ROOT, env=env, stdout=output, stderr=output)
        try:
            yield
        finally:
            process.terminate()  # RQ's warm shutdown: the job in hand is finished first
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


class Cluster:
    def __init__(self, app, first: Machine, second: Machine, front: str, s3):
        self.app, self.first, self.second, self.front, self.s3 = app, first, second, front, s3


@pytest.fixture
def cluster(shared_database_url, tmp_path, s3_credentials):  # noqa: F811
    """The test's own app on the shared database, two machines, nginx in front, the S3 store."""
    with redis_server() as own_redis, s3_server() as s3:
        shared = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": own_redis.url,
                  "RATELIMIT_STORAGE_URI": own_redis.url, "JOB_QUEUE_URL": own_redis.url,
                  "BEHIND_PROXY": True, "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
                  "MAIL_BACKEND": "file", **s3.config}
        # The test's own app fills the shop without the queue (its photos are processed at once).
        made = make_test_app(shared_database_url, tmp_path,
                             **{k: v for k, v in shared.items() if k != "JOB_QUEUE_URL"})
        app = next(made)
        shared["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"]
        shared["MAIL_FILE_DIR"] = str(tmp_path / "mail")
        run_dir = tmp_path / "machines"
        with machine("one", run_dir, shared) as first, machine("two", run_dir, shared) as second, \
                job_worker(run_dir, shared):
            upstreams = [m.base.removeprefix("http://localhost") for m in (first, second)]
            with nginx(tmp_path / "nginx", *(f"127.0.0.1{u}" for u in upstreams)) as front:
                yield Cluster(app, first, second, front, s3)
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


def test_a_photo_uploaded_through_one_machine_is_seen_through_the_other(cluster):
    saree, _, _ = shop(cluster.app)
    seller = Visitor(cluster.first.base).log_in(_seller_of(cluster.app, saree))
    editor = f"/seller/listings/{saree}"
    uploaded = seller.http.post(
        f"{cluster.first.base}{editor}/photos", timeout=60, allow_redirects=False,
        data={"csrf_token": seller.token(editor)}, headers={"Origin": cluster.first.base},
        files={"photos": ("loom.jpg", make_jpeg(900, 700, gps=True), "image/jpeg")})
    assert uploaded.status_code == 302, uploaded.text[:500]

    # The worker processes it; the seller's editor, through the other machine, then shows it
    # from the bucket.
    on_second = Visitor(cluster.second.base)
    on_second.http.cookies = seller.http.cookies
    pattern = re.compile(rf'{re.escape(cluster.s3.media_url)}/photos/[^" ]+\.webp')
    deadline = time.monotonic() + 30
    while len(photos := set(pattern.findall(on_second.get(editor).text))) < 2:
        assert time.monotonic() < deadline, "the uploaded photo was not processed within 30 s"
        time.sleep(0.5)
    for url in photos:
        fetched = requests.get(url, timeout=30)
        assert fetched.status_code == 200 and b"GPS" not in fetched.content
    # Neither machine kept it on its own disk.
    assert not list((cluster.first.disk / "storage").rglob("*.webp"))


def test_mail_from_a_page_is_delivered_by_the_worker(cluster):
    _, _, buyer = shop(cluster.app)
    visitor = Visitor(cluster.front)
    asked = visitor.post("/forgot-password", visitor.form("/forgot-password", {"email": buyer}))
    assert asked.status_code == 200 and "Check your email" in asked.text
    deadline = time.monotonic() + 20
    while not _mail_to(buyer, cluster):
        assert time.monotonic() < deadline, "the worker did not deliver the reset mail"
        time.sleep(0.2)


def _mail_to(email: str, cluster) -> list[str]:
    folder = cluster.first.disk.parent.parent / "mail"
    return [f.name for f in folder.glob("*.eml") if email in f.read_text(errors="replace")] \
        if folder.exists() else []


def _seller_of(app, listing_id: int) -> str:
    from odop_bazaar.extensions import db
    from odop_bazaar.models import Listing

    with app.app_context():
        return db.session.get(Listing, listing_id).seller.user.email
