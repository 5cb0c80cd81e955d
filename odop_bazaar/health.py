"""Health checks for load balancers and orchestrators: /healthz and /readyz.

/healthz says the process answers, and asks nothing else: a machine whose database is down is
still alive. /readyz asks each dependency (the database with SELECT 1, each Redis that is
configured, storage when its module offers a check) and answers 200, or 503 naming the checks
that failed. The body names checks only, never an error's text, a URL or a password; the error
goes to the log.

Redis is fail-open here (cache_backends.py, the limiter's in-memory fallback): when it is down,
pages still render. A 503 from every machine at once would take the whole site out of its load
balancer for the loss of a cache, so the checks named in READYZ_OPTIONAL (by default the cache,
the limiter and the queue) are reported as failed but leave the answer 200 ("degraded").

Both are answered by WSGI middleware in front of Flask: a load balancer addresses the machine by
IP (`Host: 10.0.0.5:8000`), which TRUSTED_HOSTS rightly refuses for every page. So these two
paths bypass host checking, the language prefix, rate limits, sessions and caching headers, and
set no cookie. Other modules add checks with register_check(); the storage and job modules'
check() functions are used when they exist.
"""

import importlib
import json
import logging
from collections.abc import Callable

from flask import Flask
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import text
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

# name -> function run inside the app context; it raises (or returns False) when not ready.
_CHECKS: dict[str, Callable[[], object]] = {}
NOT_CONFIGURED = object()  # what a check returns when there is nothing to check
NO_STORE = {"Cache-Control": "no-store"}


def register_check(name: str, check: Callable[[], object]) -> None:
    """Add a readiness check: `check()` raises or returns False when `name` is not ready."""
    _CHECKS[name] = check


def _database() -> None:
    from odop_bazaar.extensions import db

    db.session.execute(text("SELECT 1"))
    db.session.rollback()


def _ping(url: str | None) -> object:
    if not url or not url.startswith(("redis://", "rediss://", "unix://")):
        return NOT_CONFIGURED
    client = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5,
                            retry=Retry(NoBackoff(), 0))
    try:
        return client.ping()
    finally:
        client.close()


def _redis_checks(config) -> dict[str, Callable[[], object]]:
    cache_url = config.get("CACHE_REDIS_URL") if "Redis" in config.get("CACHE_TYPE", "") else None
    return {
        "cache": lambda: _ping(cache_url),
        "limiter": lambda: _ping(config.get("RATELIMIT_STORAGE_URI")),
        "queue": lambda: _ping(config.get("JOB_QUEUE_URL")),
    }


def _module_check(module: str) -> Callable[[], object] | None:
    """`odop_bazaar.<module>.check`, when that module has one."""
    return getattr(importlib.import_module(f"odop_bazaar.{module}"), "check", None)


def checks_for(app: Flask) -> dict[str, Callable[[], object]]:
    """Every readiness check of this app, by name: built-in, then the modules', then registered."""
    checks = {"database": _database, **_redis_checks(app.config)}
    # The queue's Redis is pinged above ("not configured" without JOB_QUEUE_URL).
    found = _module_check("storage")
    if found is not None:
        checks["storage"] = found
    return {**checks, **_CHECKS}


def run_checks(app: Flask) -> dict[str, str]:
    """"ok", "failed" or "not configured" for each check, asked inside the app context."""
    results = {}
    with app.app_context():
        for name, check in checks_for(app).items():
            try:
                answer = check()
            except Exception as error:  # any failure of a dependency is "not ready"
                _note_failure(name, f"{type(error).__name__}: {error}")
                answer = False
            if answer is NOT_CONFIGURED:
                results[name] = "not configured"
            elif answer is False:
                _note_failure(name, "it answered no")
                results[name] = "failed"
            else:
                _note_success(name)
                results[name] = "ok"
    return results


# A load balancer asks every few seconds: a failure is logged when it starts and when it ends.
_failing: set[str] = set()


def _note_failure(name: str, why: str) -> None:
    if name not in _failing:
        _failing.add(name)
        log.warning("Readiness check %s failed: %.200s", name, why)


def _note_success(name: str) -> None:
    if name in _failing:
        _failing.discard(name)
        log.warning("Readiness check %s passes again", name)


def _json(status: int, body: dict) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json",
                    headers=NO_STORE)


def healthz(app: Flask, environ) -> Response:
    """The process answers: nothing else is asked."""
    return _json(200, {"status": "ok"})


def readyz(app: Flask, environ) -> Response:
    """200 when every required dependency answers, else 503 naming what failed."""
    results = run_checks(app)
    optional = {name.strip() for name in app.config["READYZ_OPTIONAL"].split(",")}
    failed = [name for name, result in results.items() if result == "failed"]
    required_failed = [name for name in failed if name not in optional]
    status = "failing" if required_failed else "degraded" if failed else "ok"
    return _json(503 if required_failed else 200,
                 {"status": status, "failed": failed, "checks": results})


class OpsEndpoints:
    """WSGI middleware: answers a few exact paths (health, metrics) before Flask sees them."""

    def __init__(self, wsgi_app, app: Flask, endpoints: dict):
        self.wsgi_app, self.app, self.endpoints = wsgi_app, app, endpoints

    def __call__(self, environ, start_response):
        handler = self.endpoints.get(environ.get("PATH_INFO", ""))
        if handler is None:
            return self.wsgi_app(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            response = Response("Method Not Allowed", status=405,
                                headers={"Allow": "GET, HEAD", **NO_STORE})
        else:
            response = handler(self.app, environ)
        return response(environ, start_response)


def init_app(app: Flask) -> None:
    """Answer /healthz, /readyz and the paths other modules put in app.extensions["ops_endpoints"]."""
    endpoints = {"/healthz": healthz, "/readyz": readyz,
                 **app.extensions.get("ops_endpoints", {})}
    app.wsgi_app = OpsEndpoints(app.wsgi_app, app, endpoints)
