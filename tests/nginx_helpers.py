"""Debian's nginx with deploy/'s configuration, run as the current user with the configuration
rendered into a test's folder (pid, logs, temporary files and cache there, free ports)."""

import contextlib
import getpass
import os
import string
import subprocess
import time
from pathlib import Path

import requests

from tests.conftest import ROOT, free_port
from tests.redis_helpers import skip_or_fail

NGINX = Path("/usr/sbin/nginx")
DEPLOY = ROOT / "deploy"
def render(template: Path, values: dict) -> str:
    """A deploy/ template with its ${ODOP_...} names filled, as envsubst would."""
    text = string.Template(template.read_text()).safe_substitute(values)
    assert "${ODOP_" not in text, f"{template.name} names something not given"
    return text


@contextlib.contextmanager
def nginx(run_dir: Path, *upstreams: str):
    """Debian's nginx with deploy/nginx.conf around deploy/odop-bazaar.conf; yields its URL."""
    if not os.access(NGINX, os.X_OK):
        skip_or_fail("ODOP_REQUIRE_NGINX", "Debian's nginx is not installed (apt-get install nginx)")
    port = free_port()
    values = {"ODOP_RUN_DIR": str(run_dir), "ODOP_USER": getpass.getuser(),
              "ODOP_LISTEN": f"127.0.0.1:{port}", "ODOP_SERVER_NAME": "localhost",
              "ODOP_UPSTREAM_SERVERS": "".join(f"server {u}; " for u in upstreams),
              "ODOP_STATIC_ROOT": str(ROOT / "static"), "ODOP_CACHE_DIR": str(run_dir / "cache")}
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in ("nginx.conf", "odop-bazaar.conf"):
        (run_dir / name).write_text(render(DEPLOY / name, values))
    command = [str(NGINX), "-p", str(run_dir), "-c", str(run_dir / "nginx.conf")]
    base = f"http://localhost:{port}"
    with open(run_dir / "error.log", "w") as errors:
        # A fixed executable and arguments of this test's making; no shell.
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            _wait_for(base, process, run_dir / "error.log")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)
    # What nginx complained of (a permission, a bad directive) is what a failing test needs.
    print((run_dir / "error.log").read_text())


def _wait_for(base: str, process: subprocess.Popen, errors: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx did not start: {errors.read_text()}")
        with contextlib.suppress(requests.ConnectionError):
            requests.get(f"{base}/static/img/favicon.svg", timeout=2)
            return
        time.sleep(0.05)
    raise RuntimeError("nginx did not answer within 10 s")


