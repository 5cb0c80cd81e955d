"""Debian's nginx with deploy/'s configuration in front of the app: anonymous buyer pages come
from its cache, a change shows within seconds, and nothing signed-in is ever cached.

nginx runs as the current user with the configuration rendered into the test's folder (pid,
logs, temporary files and cache there, free ports), in front of the app on a live server.
"""

import time

import pytest
import requests

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing
from odop_bazaar.services import catalogue as listings
from tests.conftest import ROOT, make_test_app
from tests.factories import shop
from tests.live import Visitor, serve
from tests.nginx_helpers import nginx
from tests.redis_helpers import skip_or_fail

ENGLISH_PAGES = ("/", "/states/9", "/districts/187", "/sectors/handloom", "/search?q=saree")
# The same pages in Hindi, at their own addresses (i18n.py).
BUYER_PAGES = (*ENGLISH_PAGES, *(f"/hi{path}" for path in ENGLISH_PAGES))
# The header's log-out link, in either language (/logout or /hi/logout).
SIGNED_IN_ONLY = '/logout"'


@pytest.fixture
def proxied(shared_database_url, tmp_path):
    """(app, base URL through nginx): the app behind its proxy, as deployed."""
    made = make_test_app(shared_database_url, tmp_path, BEHIND_PROXY=True)
    app = next(made)
    with serve(app) as direct:
        upstream = direct.replace("http://localhost", "127.0.0.1")
        with nginx(tmp_path / "nginx", upstream) as base:
            yield app, base
    next(made, None)


def cache_status(response: requests.Response) -> str | None:
    return response.headers.get("X-Cache-Status")


def require_public_buyer_pages(base: str, path: str) -> None:
    """The proxy caches what the app marks public; say so plainly if the app does not yet."""
    sent = requests.get(base + path, timeout=30).headers.get("Cache-Control", "")
    if "public" not in sent:
        skip_or_fail("ODOP_REQUIRE_NGINX", "the app does not send Cache-Control: public on "
                     f"anonymous buyer pages (got {sent!r}); issue 16's part 2 adds it")


def test_an_anonymous_product_page_is_served_from_nginx_cache(proxied):
    app, base = proxied
    saree, _, _ = shop(app)
    path = requests.get(f"{base}/products/{saree}", timeout=30).url.removeprefix(base)
    require_public_buyer_pages(base, path)
    plain = {"Accept-Encoding": "identity"}
    answers = [requests.get(base + path, headers=plain, timeout=30) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert cache_status(answers[-1]) == "HIT"
    assert "Banarasi saree" in answers[-1].text and "Set-Cookie" not in answers[-1].headers
    assert "Content-Encoding" not in answers[-1].headers
    # The one cached copy, compressed for whoever asks.
    gzipped = requests.get(base + path, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert gzipped.headers["Content-Encoding"] == "gzip" and cache_status(gzipped) == "HIT"
    assert gzipped.text == answers[-1].text


def test_a_change_shows_through_the_cache_within_five_seconds(proxied):
    app, base = proxied
    saree, _, _ = shop(app)
    path = requests.get(f"{base}/products/{saree}", timeout=30).url.removeprefix(base)
    require_public_buyer_pages(base, path)
    seen = [cache_status(requests.get(base + path, timeout=30)) for _ in range(3)]
    assert seen[-1] == "HIT" and "175.00" not in requests.get(base + path, timeout=30).text

    with app.test_request_context():
        item = db.session.get(Listing, saree)
        listings.update_price_and_stock(item.seller, item, {
            "price": "175", "mrp": "200", "stock": "3", "made_to_order": False,
            "lead_time_days": ""})
    changed_at = time.monotonic()
    while "175.00" not in requests.get(base + path, timeout=30).text:
        assert time.monotonic() - changed_at < 5, "the new price did not show within 5 s"
        time.sleep(0.2)


def test_signed_in_pages_are_never_cached_nor_shown_to_anyone_else(proxied):
    app, base = proxied
    saree, _, buyer = shop(app)
    product = requests.get(f"{base}/products/{saree}", timeout=30).url.removeprefix(base)
    pages = (*BUYER_PAGES, product, "/account", "/cart", "/orders")
    signed_in = Visitor(base).log_in(buyer)

    seen = [signed_in.get(path) for path in pages for _ in range(2)]
    assert all(page.status_code == 200 for page in seen), [p.url for p in seen
                                                           if p.status_code != 200]
    assert all(SIGNED_IN_ONLY in page.text for page in seen)
    assert {cache_status(page) for page in seen} <= {"BYPASS", None}

    for path in (*BUYER_PAGES, product):
        for _ in range(2):
            anonymous = requests.get(base + path, timeout=30)
            assert anonymous.status_code == 200
            assert SIGNED_IN_ONLY not in anonymous.text and buyer not in anonymous.text, path


def test_static_files_come_from_nginx_kept_a_year_when_versioned(proxied):
    _, base = proxied
    page = requests.get(base + "/", timeout=30).text
    stylesheet = page.split('href="/static/css/app.css?v=', 1)[1].split('"', 1)[0]
    versioned = requests.get(f"{base}/static/css/app.css?v={stylesheet}",
                             headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert versioned.status_code == 200 and versioned.headers["Content-Encoding"] == "gzip"
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Cache-Status" not in versioned.headers  # never went to the app
    plain = requests.get(f"{base}/static/css/app.css", timeout=30)
    assert plain.headers["Cache-Control"] == "no-cache"
    assert plain.headers["Content-Type"] == "text/css; charset=utf-8"
    assert (ROOT / "static" / "css" / "app.css").read_bytes() == plain.content
