"""The app on a real port, and people using it at the same moment.

Races are tested the way they happen: real HTTP requests from several threads, released together
by a barrier, against a threaded server, on whichever database the suite runs on.
"""

import contextlib
import re
import threading

import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import free_port
from tests.factories import PASSWORD

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@contextlib.contextmanager
def serve(app):
    """Serve `app` on a free local port from a thread per request; yields its base URL."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        # The testing configuration answers only for its SERVER_NAME, localhost.
        yield f"http://localhost:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class Visitor:
    """One browser: its own cookies, reading CSRF tokens from the pages as a browser would."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, timeout=60, **kwargs)

    def token(self, path: str) -> str:
        """The session's CSRF token from the form on `path`, or, where that page has none,
        from the account page (or for a visitor, the login page), which always has one."""
        match = _CSRF.search(self.get(path).text)
        if not match:
            account = self.get("/account", allow_redirects=False)
            match = _CSRF.search(account.text if account.status_code == 200
                                 else self.get("/login").text)
        assert match, f"no CSRF token on {path}, /account or /login"
        return match.group(1)

    def form(self, path: str, data: dict, *, token_from: str | None = None) -> dict:
        """The fields a page's form would send: these, and the session's CSRF token."""
        return {"csrf_token": self.token(token_from or path), **data}

    def post(self, path: str, data: dict) -> requests.Response:
        # Browsers send the page's origin with every form (the add-to-cart form relies on it).
        return self.http.post(self.base + path, data=data, allow_redirects=False, timeout=60,
                              headers={"Origin": self.base})

    def log_in(self, email: str, password: str = PASSWORD) -> "Visitor":
        answer = self.post("/login", self.form("/login", {"email": email, "password": password}))
        assert answer.status_code == 302, answer.text[:500]
        return self


def at_once(calls) -> list:
    """Run each zero-argument callable in its own thread, released together; their results
    (or the exceptions they raised) in the order given."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
            results[index] = error

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
