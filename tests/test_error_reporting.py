"""Sentry: off unless SENTRY_DSN is set; when set, an unhandled error reaches the DSN's server
without the request's private parts. The "Sentry" here is a tiny HTTP server on 127.0.0.1."""

import gzip
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from flask import request

from odop_bazaar.error_reporting import scrub
from tests.conftest import make_test_app


class _Collector(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def sentry_off_afterwards():
    yield
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: an inactive client for the rest of the run


def events(received) -> list[dict]:
    """The event items of the envelopes received."""
    found = []
    for _path, body in received:
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_without_a_dsn_sentry_is_not_started(app):
    assert app.config["SENTRY_DSN"] is None
    assert not sentry_sdk.get_client().is_active()


def test_an_unhandled_error_is_reported_without_what_the_person_sent(
        shared_database_url, tmp_path, sentry_server, sentry_off_afterwards):
    port = sentry_server.server_address[1]
    made = make_test_app(shared_database_url, tmp_path,
                         SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/42",
                         TESTING=False, PROPAGATE_EXCEPTIONS=False)
    app = next(made)
    try:
        assert sentry_sdk.get_client().is_active()

        @app.post("/_test/boom/<token>")
        def boom(token):
            password = request.form["password"]  # noqa: F841  (a local not to be reported)
            raise RuntimeError("the test's own error")

        app.config["WTF_CSRF_ENABLED"] = False
        # Made here, so that the source lines the report quotes do not hold them.
        secrets = [uuid.uuid4().hex for _ in range(6)]
        password, aadhaar, cookie, bearer, email, token = secrets
        response = app.test_client().post(
            f"/_test/boom/{token}?email={email}",
            data={"password": password, "aadhaar": aadhaar},
            headers={"Cookie": f"session={cookie}", "Authorization": f"Bearer {bearer}"})
        assert response.status_code == 500
        sentry_sdk.flush(timeout=5)
        deadline = time.monotonic() + 5
        while not events(sentry_server.received) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        next(made, None)

    reported = events(sentry_server.received)
    assert sentry_server.received[0][0] == "/api/42/envelope/"
    assert "the test's own error" in [event["exception"]["values"][-1]["value"]
                                      for event in reported if "exception" in event]
    sent = json.dumps(reported)
    for secret in secrets:
        assert secret not in sent, secret


def test_scrub_keeps_only_harmless_headers():
    event = {"request": {"url": "https://odop.example.org/reset-password/" + "a." * 20,
                         "headers": {"User-Agent": "x", "Cookie": "s", "X-Csrftoken": "t"},
                         "data": {"password": "p"}, "cookies": {"session": "s"}},
             "user": {"ip_address": "1.2.3.4"}}
    assert scrub(event) == {"request": {"url": "https://odop.example.org/reset-password/[token]",
                                        "headers": {"User-Agent": "x"}}}
