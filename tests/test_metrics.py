"""/metrics in one process: requests by endpoint and status, latency, gauges read when scraped,
and only for the networks and token allowed. (Several gunicorn workers: test_gunicorn.py.)"""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from odop_bazaar import metrics
from tests.conftest import make_test_app


def scrape(app, **environ) -> dict:
    """(metric sample name, frozenset of labels) -> value."""
    response = app.test_client().get("/metrics", environ_base=environ)
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[sample.name, frozenset(sample.labels.items())] = sample.value
    return samples


def requests_of(samples, endpoint, status, method="GET") -> float:
    key = ("odop_http_requests_total",
           frozenset({"endpoint": endpoint, "status": status, "method": method}.items()))
    return samples.get(key, 0)


@pytest.fixture
def metrics_app(shared_database_url, tmp_path):
    yield from make_test_app(shared_database_url, tmp_path, METRICS_ALLOW="127.0.0.1/32,10.9.0.0/16",
                             METRICS_TOKEN="scrape-token-1")


@pytest.fixture
def registered_gauges():
    before = dict(metrics._GAUGES)
    yield
    metrics._GAUGES.clear()
    metrics._GAUGES.update(before)


def test_requests_are_counted_by_endpoint_and_status_not_by_path(metrics_app):
    before = scrape(metrics_app)
    client = metrics_app.test_client()
    for _ in range(3):
        assert client.get("/login").status_code == 200
    assert client.get("/hi/login").status_code == 200
    for n in range(5):
        assert client.get(f"/no-such-page-{n}").status_code == 404
    after = scrape(metrics_app)

    assert requests_of(after, "auth.login", "200") - requests_of(before, "auth.login", "200") == 4
    assert requests_of(after, "none", "404") - requests_of(before, "none", "404") == 5
    assert not [key for key in after if "no-such-page" in str(key)]  # paths are not labels
    count = ("odop_http_request_duration_seconds_count", frozenset({"endpoint": "auth.login"}.items()))
    assert after[count] - before.get(count, 0) == 4


def test_only_allowed_networks_or_the_token_may_scrape(metrics_app):
    client = metrics_app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.9.3.4"}).status_code == 200
    refused = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert refused.status_code == 404 and b"odop_" not in refused.data
    wrong = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"},
                       headers={"Authorization": "Bearer scrape-token-2"})
    assert wrong.status_code == 404
    right = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"},
                       headers={"Authorization": "Bearer scrape-token-1"})
    assert right.status_code == 200 and b"odop_http_requests_total" in right.data


def test_behind_a_proxy_the_proxys_own_address_does_not_open_metrics(shared_database_url,
                                                                     tmp_path):
    # nginx on this machine connects from 127.0.0.1: the visitor's address is what counts.
    made = make_test_app(shared_database_url, tmp_path, BEHIND_PROXY=True)
    app = next(made)
    try:
        response = app.test_client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert response.status_code == 404
        allowed = app.test_client().get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
        assert allowed.status_code == 200
    finally:
        next(made, None)


def test_gauges_are_read_at_scrape_time_and_one_that_fails_is_left_out(metrics_app,
                                                                       registered_gauges):
    backlog = [7]
    metrics.register_gauge("odop_mail_outbox_backlog", "Mails waiting", lambda: backlog[0])
    metrics.register_gauge("odop_broken", "Fails", lambda: 1 / 0)
    metrics.register_gauge("odop_not_configured", "Nothing to count", lambda: None)
    assert scrape(metrics_app)["odop_mail_outbox_backlog", frozenset()] == 7
    backlog[0] = 2
    samples = scrape(metrics_app)
    assert samples["odop_mail_outbox_backlog", frozenset()] == 2
    assert not [key for key in samples if key[0] in ("odop_broken", "odop_not_configured")]
