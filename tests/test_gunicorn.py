"""gunicorn.conf.py with real gunicorn: the access log carries the request id, a production
app answers its health check by IP, several workers' metrics are summed, and production refuses
several workers on per-process limits and cache."""

import contextlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import free_port
from tests.redis_helpers import redis_server

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
HOST = "odop.example.org"

CREATE_TABLES = """
from odop_bazaar import create_app
from odop_bazaar.extensions import db
from odop_bazaar.services.catalogue import search
app = create_app()
with app.app_context():
    db.create_all()
    with db.engine.begin() as connection:
        search.create_index(connection)
"""


def production_env(tmp_path: Path, **changes) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "DATABASE_URL", "ODOP_CONFIG", "WEB_CONCURRENCY",
                        "PROMETHEUS_MULTIPROC_DIR", "ALLOW_PER_PROCESS_STATE")}
    env.update(ODOP_CONFIG="production", SECRET_KEY="gunicorn-test", SERVER_NAME=HOST,
               DATABASE_URL=f"sqlite:///{tmp_path / 'odop.sqlite3'}",
               ODOP_INSTANCE_PATH=str(tmp_path / "instance"), STORAGE_ROOT=str(tmp_path / "s"),
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"), **changes)
    return env


@contextlib.contextmanager
def gunicorn(tmp_path: Path, workers: int, **env_changes):
    """gunicorn with the project's config on a free port; yields (base URL, access log path)."""
    env = production_env(tmp_path, **env_changes)
    (tmp_path / "metrics").mkdir(exist_ok=True)
    made = subprocess.run([sys.executable, "-c", CREATE_TABLES], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    port = free_port()
    out, err = open(tmp_path / "access.log", "w"), open(tmp_path / "error.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"), "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=out, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (tmp_path / "error.log").read_text()
            with contextlib.suppress(requests.RequestException):  # still booting
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            assert time.monotonic() < deadline, "gunicorn did not answer"
            time.sleep(0.1)
        yield base, tmp_path / "access.log"
    finally:
        server.terminate()
        server.wait(timeout=30)
        out.close()
        err.close()


def access_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


def test_the_access_log_carries_the_request_id_and_the_health_check_answers_by_ip(tmp_path):
    with gunicorn(tmp_path, workers=1) as (base, log):
        health = requests.get(base + "/healthz", headers={"X-Request-ID": "lb-check-1"})
        assert health.status_code == 200 and health.headers["X-Request-ID"] == "lb-check-1"
        assert requests.get(base + "/readyz").json()["checks"]["database"] == "ok"
        assert requests.get(base + "/login").status_code == 400  # a page by IP: refused
        page = requests.get(base + "/login?next=/cart", headers={"Host": HOST})
        assert page.status_code == 200
        made_id = page.headers["X-Request-ID"]
        time.sleep(0.2)
        lines = access_lines(log)

    by_id = {line["request_id"]: line for line in lines}
    assert by_id["lb-check-1"]["path"] == "/healthz" and by_id["lb-check-1"]["status"] == 200
    assert by_id[made_id]["path"] == "/login" and by_id[made_id]["status"] == 200
    assert by_id[made_id]["duration_ms"] >= 0 and "next" not in json.dumps(lines)
    assert [line["status"] for line in lines if line["path"] == "/login"].count(400) == 1


def test_two_workers_metrics_are_summed(tmp_path):
    with gunicorn(tmp_path, workers=2, ALLOW_PER_PROCESS_STATE="1") as (base, log):
        def ask(_):
            return requests.get(base + "/login", headers={"Host": HOST}).status_code

        sent, pids = 0, set()
        with ThreadPoolExecutor(8) as pool:
            while len(pids) < 2 and sent < 400:
                assert set(pool.map(ask, range(40))) == {200}
                sent += 40
                time.sleep(0.1)
                pids = {line["pid"] for line in access_lines(log) if line["path"] == "/login"}
        assert len(pids) == 2, "one worker answered every request"
        exposition = requests.get(base + "/metrics").text

    counted = [sample.value for family in text_string_to_metric_families(exposition)
               for sample in family.samples
               if sample.name == "odop_http_requests_total"
               and sample.labels == {"endpoint": "auth.login", "method": "GET", "status": "200"}]
    assert counted == [sent]
    files = {name.split("_")[-1] for name in os.listdir(tmp_path / "metrics")}
    assert len(files) >= 2  # one file per worker process


def test_with_redis_stopped_two_workers_serve_pages_and_warn_once_each(tmp_path):
    with redis_server() as own, gunicorn(tmp_path, workers=2, CACHE_TYPE="RedisCache",
                                         CACHE_REDIS_URL=own.url,
                                         RATELIMIT_STORAGE_URI=own.url) as (base, _):
        def ask(path):
            return requests.get(base + path, headers={"Host": HOST}, timeout=10).status_code

        with ThreadPoolExecutor(4) as pool:
            assert set(pool.map(ask, ["/", "/login", "/search?q=saree"] * 4)) == {200}
            own.stop()
            assert set(pool.map(ask, ["/", "/login", "/search?q=saree"] * 20)) == {200}
        ready = requests.get(base + "/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
        time.sleep(0.2)
    app_log = [json.loads(line) for line in (tmp_path / "error.log").read_text().splitlines()
               if line.startswith("{")]
    warned = [line for line in app_log if "Redis cache unavailable" in line["message"]]
    assert 1 <= len(warned) <= 2  # once in each worker that met the outage
    assert {line["level"] for line in app_log} <= {"INFO", "WARNING"}


def test_production_refuses_several_workers_on_per_process_limits_and_cache(tmp_path):
    env = production_env(tmp_path)
    port = free_port()
    result = subprocess.run(
        [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"), "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "2 workers would each count rate limits on their own" in result.stderr
    assert "2 workers would each keep a cache" in result.stderr


@pytest.fixture(autouse=True)
def _gunicorn_installed():
    if not GUNICORN.exists():
        pytest.fail(f"gunicorn is a dependency, but {GUNICORN} is missing")
