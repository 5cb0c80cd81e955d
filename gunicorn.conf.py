"""gunicorn's settings for ODOP Bazaar: `gunicorn wsgi:app` in this folder reads this file.

Everything an operator may change comes from the environment:
  GUNICORN_BIND (or PORT: 0.0.0.0:$PORT; default 127.0.0.1:8000), WEB_CONCURRENCY (workers;
  default 2 x cores + 1, at most 8), GUNICORN_THREADS (1), GUNICORN_TIMEOUT (30 s),
  GUNICORN_MAX_REQUESTS (1000), FORWARDED_ALLOW_IPS (127.0.0.1,::1), PROMETHEUS_MULTIPROC_DIR,
  GUNICORN_CONTROL_SOCKET (off unless set).
The access log is one JSON object a line on stdout, with the request id the app sets in
`X-Request-ID` (odop_bazaar/logs.py), the path without its query string and with email-link
tokens cut out. The app's own logs are JSON lines on stderr.
"""

import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or (
    f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000")
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
# Known to the app at once (a --preload app is loaded before on_starting below runs).
os.environ.setdefault("WEB_CONCURRENCY", str(workers))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # longer than nginx's upstream keepalive needs
# A worker is replaced after this many requests (and a jitter, so they do not all go at once):
# whatever memory a long-lived process gathers is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max(max_requests // 10, 1))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn 27's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): two app
# servers on one machine would take it from each other. Off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Each worker writes its metrics here and /metrics sums them (odop_bazaar/metrics.py). Set
# before any worker imports prometheus_client; a folder of this run's own unless one is given.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="odop-prometheus-")

_TOKEN_SEGMENT = re.compile(r"/[^/]{32,}")


class JsonAccessLogger(Logger):
    """gunicorn's logger, but each access line a JSON object (quotes in a path cannot break it)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "remote": atoms["h"],
            "method": atoms["m"],
            "path": _TOKEN_SEGMENT.sub("/[token]", atoms["U"] or ""),
            "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": round(atoms["D"] / 1000, 1),
            "request_id": atoms.get("{x-request-id}o"),
            "user_agent": atoms["a"],
            "pid": os.getpid(),
        }
        self.access_log.info(json.dumps(line))


logger_class = JsonAccessLogger
# For a logconfig that bypasses the class above: the same facts, Apache-style.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'


def on_starting(server):
    """Start with an empty metrics folder, and tell the app how many workers there are."""
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    for name in os.listdir(folder) if os.path.isdir(folder) else ():
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))
    os.makedirs(folder, exist_ok=True)
    # Read by ProductionConfig.unsafe_settings (after any --workers given). Checked here too, so
    # that a refusal stops gunicorn at once instead of workers failing to boot over and over.
    os.environ["WEB_CONCURRENCY"] = str(server.cfg.workers)
    from config import ConfigError, config_from_env

    try:
        config_from_env().validate()
    except ConfigError as error:
        sys.exit(str(error))


def child_exit(server, worker):
    """A worker's live gauges leave with it."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics folder this file made."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if os.path.basename(folder).startswith("odop-prometheus-"):
        shutil.rmtree(folder, ignore_errors=True)
