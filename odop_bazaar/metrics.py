"""Prometheus metrics at /metrics: requests by endpoint and status, latency, and the work waiting.

Requests are labelled by Flask endpoint name ("public.product"), never by path, so the number of
series stays bounded whatever addresses are asked for; a request no route matched is "none".
Under gunicorn PROMETHEUS_MULTIPROC_DIR is set (gunicorn.conf.py does it) and every worker
writes its counts there, summed at scrape time; without it the counts are this process's.
Gauges of work waiting (job queue depth, failed jobs, mail outbox backlog) are computed when
scraped, by functions other modules register with register_gauge(); the job module's
queue_depth() and failed_count() are used when they exist.

/metrics is answered before Flask (health.OpsEndpoints), only to an address in METRICS_ALLOW
(CIDRs; 127.0.0.1 and ::1 by default) or to a request bearing `Authorization: Bearer
<METRICS_TOKEN>`; anyone else gets a 404, as if there were nothing here.
"""

import hmac
import importlib
import ipaddress
import logging
import os
import time
from collections.abc import Callable

from flask import Flask, request, request_started
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

ENVIRON_ENDPOINT = "odop.endpoint"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter("odop_http_requests", "HTTP requests answered, by Flask endpoint and status",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("odop_http_request_duration_seconds",
                    "Time to answer a request (until the body starts), by Flask endpoint",
                    ["endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))

# metric name -> (help, function returning a number, or None when there is nothing to count)
_GAUGES: dict[str, tuple[str, Callable[[], float | None]]] = {}
_JOB_GAUGES = (("odop_job_queue_depth", "Jobs waiting in the queue", "queue_depth"),
               ("odop_jobs_failed", "Jobs that failed and wait for a person", "failed_count"))


def register_gauge(name: str, help_text: str, read: Callable[[], float | None]) -> None:
    """A gauge computed at each scrape (in the app context) by `read()`."""
    _GAUGES[name] = (help_text, read)


def _gauges() -> dict[str, tuple[str, Callable[[], float | None]]]:
    jobs = importlib.import_module("odop_bazaar.jobs")
    found = {name: (help_text, getattr(jobs, function))
             for name, help_text, function in _JOB_GAUGES if hasattr(jobs, function)}
    return {**found, **_GAUGES}


class ScrapeTimeGauges:
    """A collector whose gauges are read when scraped; one that fails is left out and logged."""

    def collect(self):
        for name, (help_text, read) in _gauges().items():
            try:
                value = read()
            except Exception as error:  # a gauge must not break the scrape of all the others
                log.warning("Metric %s could not be read: %s: %.200s", name,
                            type(error).__name__, error)
                continue
            if value is not None:
                yield GaugeMetricFamily(name, help_text, value=value)


def exposition(app: Flask) -> bytes:
    """The metrics in Prometheus' text format: the workers' (or this process's) and the gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    gauges = CollectorRegistry()
    gauges.register(ScrapeTimeGauges())
    with app.app_context():
        return counted + generate_latest(gauges)


def _allowed_networks(setting: str) -> list:
    return [ipaddress.ip_network(cidr.strip(), strict=False)
            for cidr in setting.split(",") if cidr.strip()]


def may_scrape(app: Flask, environ) -> bool:
    """The caller's address is allowed, or it bears the metrics token."""
    token = app.config.get("METRICS_TOKEN")
    offered = environ.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in app.extensions["metrics_allow"])


def metrics(app: Flask, environ) -> Response:
    """The exposition, or a 404 for a caller who may not see it."""
    if not may_scrape(app, environ):
        return Response("Not Found", status=404, headers={"Cache-Control": "no-store"})
    return Response(exposition(app), mimetype=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})


def _note_endpoint(sender, **_) -> None:
    request.environ[ENVIRON_ENDPOINT] = request.endpoint or "none"


class RequestMetrics:
    """WSGI middleware: counts each answer by endpoint and status, and times it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        seen = {}

        def start_and_note(status, headers, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, start_and_note)
        finally:
            endpoint = environ.get(ENVIRON_ENDPOINT, "none")
            method = environ.get("REQUEST_METHOD", "")
            REQUESTS.labels(endpoint, method if method in METHODS else "other",
                            seen.get("status", "500")).inc()
            LATENCY.labels(endpoint).observe(time.perf_counter() - started)


def init_app(app: Flask) -> None:
    """Count requests, and put /metrics among the endpoints answered before Flask."""
    app.extensions["metrics_allow"] = _allowed_networks(app.config["METRICS_ALLOW"])
    request_started.connect(_note_endpoint, app)
    app.wsgi_app = RequestMetrics(app.wsgi_app)
    app.extensions.setdefault("ops_endpoints", {})["/metrics"] = metrics
    _register_outbox_gauges()


def _register_outbox_gauges() -> None:
    from odop_bazaar.models.outbox import MailStatus
    from odop_bazaar.services import outbox

    register_gauge("odop_mail_outbox_backlog", "Mails written but not sent yet",
                   lambda: sum(outbox.backlog().values()))
    register_gauge("odop_mail_outbox_failed", "Mails that stopped retrying: staff send them again",
                   lambda: outbox.backlog()[MailStatus.FAILED])
