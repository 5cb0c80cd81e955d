"""Fixtures for the browser journeys: Debian's Chromium through Playwright, and the app on a real
port against a fresh database (SQLite, or PostgreSQL with ODOP_TEST_DB=postgresql).

A journey watches every page it opens: a console error, an uncaught script error, a
Content-Security-Policy violation or a server error fails it, and so does a page that scrolls
sideways at 360 px. Screenshots of its key pages, in English and in Hindi, go to
test-artifacts/browser/<journey>/, or $ODOP_ARTIFACT_DIR/<journey>/ when that is set.
"""

import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from odop_bazaar.extensions import db
from odop_bazaar.models import Role, Seller, User
from odop_bazaar.services import catalogue as listings
from tests.conftest import card_settings, free_port, make_test_app
from tests.factories import PASSWORD, make_jpeg, make_places, make_seller, make_user

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the journeys skip; the rest of the suite does not need Playwright
    expect = sync_playwright = None

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 10_000
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
LANGUAGE_BUTTONS = {"en": "English", "hi": "हिन्दी"}

# Chromium reports most violations on the console itself; this makes sure each one is seen.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""

# A full-page screenshot does not scroll, so lazy photos below the fold would stay blank.
_LOAD_EVERY_PHOTO = """
() => Promise.all([document.fonts.ready, ...[...document.images].map((image) => {
  image.loading = "eager";
  return image.complete ? null : new Promise((done) => {
    image.addEventListener("load", done);
    image.addEventListener("error", done);
  });
})]).then(() => null)
"""

# The elements sticking out on the right, to say where a sideways scroll comes from.
_SIDEWAYS = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1 && wide.length < 6) {
      const classes = typeof element.className === "string" && element.className.trim()
        ? "." + element.className.trim().split(/\\s+/).join(".") : "";
      wide.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}${classes}`
                + ` to ${Math.round(box.right)}px`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide};
}
"""


def chromium_executable() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _skip_or_fail(reason: str) -> None:
    # CI sets ODOP_REQUIRE_BROWSER=1: there, a missing browser must not pass as a skipped test.
    if os.environ.get("ODOP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ODOP_REQUIRE_BROWSER=1: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; each actor gets a context of their own."""
    if sync_playwright is None:
        _skip_or_fail("Playwright is not installed: pip install -e '.[test]'")
    executable = chromium_executable()
    if executable is None:
        _skip_or_fail("Chromium not found: apt-get install chromium (the journeys drive Debian's "
                      "build; no browser is downloaded)")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- The app on a real port ---------------------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # one line per request would bury a failure
        pass


@dataclass
class LiveServer:
    app: object
    url: str

    @property
    def outbox(self) -> list:
        return self.app.extensions["mail_outbox"]


def _serve(shared_database_url, tmp_path, **overrides):
    """The app, as make_test_app builds it (and empties it afterwards), served on a free port.

    Each journey gets its own: a fresh database, and on PostgreSQL the shared one emptied
    afterwards exactly as the `app` fixture does, so the tests after these see it empty.
    """
    port = free_port()
    # Static files cached for an hour, as a production web server would: otherwise every page
    # asks again for each stylesheet, script and font, and the journeys take twice as long.
    apps = make_test_app(shared_database_url, tmp_path, SERVER_NAME=f"127.0.0.1:{port}",
                     SEND_FILE_MAX_AGE_DEFAULT=3600, **overrides)
    app = next(apps)
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        next(apps, None)


@pytest.fixture
def live_server(shared_database_url, tmp_path):
    """The app on a real port, cash on delivery only."""
    yield from _serve(shared_database_url, tmp_path)


@pytest.fixture
def card_live_server(shared_database_url, tmp_path, stripe_server):
    """The app on a real port with card payments through localstripe (as `card_app`)."""
    yield from _serve(shared_database_url, tmp_path, **card_settings(stripe_server))


# --- A journey: the people in it, what went wrong, and its screenshots -------------------------

def artifact_root() -> Path:
    configured = os.environ.get("ODOP_ARTIFACT_DIR")
    return Path(configured) if configured else REPO_ROOT / "test-artifacts" / "browser"


class Journey:
    """The browser contexts of one journey, with everything they noticed going wrong."""

    def __init__(self, browser, server: LiveServer, name: str):
        self.browser, self.server, self.name = browser, server, name
        self.folder = artifact_root() / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.problems: list[str] = []
        self.sideways: list[str] = []
        self.pages: dict[str, object] = {}
        self._contexts = []
        self._shots = 0

    def page(self, who: str, viewport: dict = PHONE, *, javascript: bool = True):
        """A new browser (its own cookies) for one person, e.g. "seller" or "staff"; with
        javascript=False, one that runs no script (the pages must work without)."""
        context = self.browser.new_context(viewport=viewport, base_url=self.server.url,
                                           locale="en-IN", timezone_id="Asia/Kolkata",
                                           java_script_enabled=javascript)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        self._contexts.append(context)
        page = context.new_page()
        self._watch(page, who)
        context.on("page", lambda opened: self._watch(opened, f"{who} (new tab)"))
        self.pages[who] = page
        return page

    def _watch(self, page, who: str) -> None:
        def console(message):
            if message.type == "error":
                self.problems.append(f"{who}: console error on {page.url}: {message.text}")

        def response(answer):
            if answer.status >= 500:
                self.problems.append(f"{who}: {answer.status} from {answer.request.method} "
                                     f"{answer.url}")

        def failed(request):
            # A navigation away cancels what the old page was still loading: not a fault.
            if "ERR_ABORTED" not in (request.failure or ""):
                self.problems.append(f"{who}: {request.method} {request.url} failed: "
                                     f"{request.failure}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.problems.append(
            f"{who}: script error on {page.url}: {error}"))
        page.on("response", response)
        page.on("requestfailed", failed)

    @staticmethod
    def _settle(page) -> None:
        """Wait for the fonts and every photo, which change how wide and tall the page is."""
        page.wait_for_load_state("load")
        page.evaluate(_LOAD_EVERY_PHOTO)

    def check_width(self, page, label: str) -> None:
        """Note the page if it scrolls sideways (the journey fails on it at the end)."""
        self._settle(page)
        overflow = page.evaluate(_SIDEWAYS)
        if overflow:
            self.sideways.append(
                f"{label} ({page.url}, {page.locator('html').get_attribute('lang')}): "
                f"{overflow['scrollWidth']}px wide in a {overflow['clientWidth']}px window; "
                f"sticking out: {', '.join(overflow['wide'])}")

    def shoot(self, page, label: str) -> None:
        """Full-page screenshots in English and in Hindi, switching with the header's
        language links as a person would, then back to English; checks the width in both."""
        self._shots += 1
        stem = f"{self._shots:02d}-{label}"
        assert page.locator("html").get_attribute("lang") == "en", f"{label}: not in English"
        for language in ("en", "hi"):
            if language != "en":
                switch_language(page, language)
            self.check_width(page, label)  # settles the page too
            page.screenshot(path=str(self.folder / f"{stem}-{language}.png"), full_page=True)
        switch_language(page, "en")

    def finish(self) -> None:
        """Fail on anything the pages reported along the way."""
        report = []
        if self.problems:
            report.append("Problems seen in the browser:\n  " + "\n  ".join(self.problems))
        if self.sideways:
            report.append("Pages that scroll sideways:\n  " + "\n  ".join(self.sideways))
        assert not report, "\n".join(report)

    def close(self, failed: bool) -> None:
        for who, page in self.pages.items():
            if failed and not page.is_closed():
                try:
                    page.screenshot(path=str(self.folder / f"failed-{who}.png"), full_page=True)
                except Exception:  # a crashed page: nothing to show
                    pass
        for context in self._contexts:
            context.close()
        if failed and self.problems:
            print("Problems seen in the browser before the failure:", *self.problems, sep="\n  ")


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture
def start_journey(request, browser):
    """start_journey(server, name) -> Journey; its browsers close after the test."""
    started = []

    def start(server: LiveServer, name: str) -> Journey:
        journey = Journey(browser, server, name)
        started.append(journey)
        return journey

    yield start
    for journey in started:
        journey.close(failed=request.node.stash.get(_FAILED, True))


# --- What people do on every journey -----------------------------------------------------------

def switch_language(page, code: str) -> None:
    """Follow the header's language link; the same page comes back in that language."""
    link = page.locator("nav.language-switch").get_by_role(
        "link", name=LANGUAGE_BUTTONS[code], exact=True)
    click_through(page, link)
    expect(page.locator("html")).to_have_attribute("lang", code)


def click_through(page, target) -> None:
    """Click a link or button that loads a new page, and wait until its HTML is in (the
    assertions wait for what they look for; screenshots wait for the whole page)."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        target.click()


def go_to(page, link_name: str) -> None:
    """Follow a link of the site's main menu (opening the menu first on a phone)."""
    link = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(rf"^{re.escape(link_name)}( \d+)?$"))  # "Cart 2": its count
    menu = page.locator("header details.site-menu")
    if not link.is_visible() and menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    click_through(page, link)


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    click_through(page, page.get_by_role("button", name="Log in"))
    expect(page.locator(".flashes")).to_contain_text("You are logged in.")


def flash(page):
    return page.locator(".flashes")


def h1(page):
    return page.get_by_role("heading", level=1)


# --- A shop to buy from (journey 1 builds one by hand; the buyer journeys start from this) -----

SAREE = "बनारसी रेशमी साड़ी"
SAREE_TEXT = "हाथ से बुनी लाल रेशमी साड़ी, सुनहरी ज़री के बॉर्डर के साथ। Handwoven red silk."
LAMP = "Brass puja diya"
LAMP_TEXT = "पीतल का दीया, मुरादाबाद के कारीगरों का बनाया हुआ। Hand-finished brass."
ADDRESS = {"name": "Asha Verma", "phone": "98765 43210", "line1": "12 Lanka Road",
           "city": "Varanasi", "state": "Uttar Pradesh", "pin": "221005"}


@dataclass
class Shop:
    buyer: str
    saree_seller: str
    lamp_seller: str


def live_listing(app, seller_id: int, title: str, description: str, price: str, mrp: str) -> int:
    """A listing with one photo, approved by staff and on the shop."""
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.role == Role.STAFF))
        listing = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": title,
                     "description": description, "gst_rate": 5, "unit": "piece",
                     "net_quantity": "1", "country_of_origin": "India"},
            {"price": price, "mrp": mrp, "stock": "4", "made_to_order": False,
             "lead_time_days": ""})
        listings.add_photos(seller, listing, [listings.PhotoUpload("cover.jpg", make_jpeg())])
        listings.submit_listing(seller, listing)
        listings.approve_listing(listing, staff)
        return listing.id


def listing_with_photos(app, shop_name: str, title: str, description: str, *,
                        photos: int = 3, price: str = "9,500", mrp: str = "10,500") -> int:
    """A live listing of that shop with several photos 2400 px wide (the gallery's full-size
    file is then the 1600 px one)."""
    with app.test_request_context():
        seller = db.session.scalar(select(Seller).where(Seller.display_name == shop_name))
        staff = db.session.scalar(select(User).where(User.role == Role.STAFF))
        listing = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": title,
                     "description": description, "gst_rate": 5, "unit": "piece",
                     "net_quantity": "1", "country_of_origin": "India"},
            {"price": price, "mrp": mrp, "stock": "5", "made_to_order": False,
             "lead_time_days": ""})
        listings.add_photos(seller, listing, [
            listings.PhotoUpload(f"photo-{n}.jpg", make_jpeg(2400, 1800))
            for n in range(1, photos + 1)])
        listings.submit_listing(seller, listing)
        listings.approve_listing(listing, staff)
        return listing.id


def stock_the_shop(app) -> Shop:
    """Two approved sellers in two districts of Uttar Pradesh, one product each; a buyer."""
    make_places(app)
    make_user(app, Role.STAFF)
    saree_seller, saree_id = make_seller(app, "approved")  # a weaver in Varanasi
    lamp_seller, lamp_id = make_seller(app, "approved", seller_type="artisan", district=171,
                                       product_names=("Metal Craft",))
    with app.app_context():  # names a buyer can tell apart (the factory gives both the same)
        for seller_id, legal, shown in ((saree_id, "Meera Devi", "Meera's Looms"),
                                        (lamp_id, "Rafiq Ahmed", "Rafiq Brassware")):
            seller = db.session.get(Seller, seller_id)
            seller.legal_name, seller.display_name = legal, shown
        db.session.commit()
    live_listing(app, saree_id, SAREE, SAREE_TEXT, price="12,500", mrp="14,000")
    live_listing(app, lamp_id, LAMP, LAMP_TEXT, price="850", mrp="900")
    buyer = make_user(app, Role.BUYER, email="asha@example.com")
    return Shop(buyer=buyer, saree_seller=saree_seller, lamp_seller=lamp_seller)


def order_reference(page) -> str:
    match = re.search(r"/orders/([^/?#]+)$", page.url)
    assert match, page.url
    return match.group(1)
