"""axe-core on the pages buyers, sellers and staff use most, on a phone (360 px) and at a desk
(1280 px), in English and in Hindi: no serious or critical finding on any of them.

To check another page, add a line to BUYER_PAGES, SELLER_PAGES or STAFF_PAGES: a label and the
address (a function of the World when it needs an id).
"""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Role, Seller, User
from tests.browser.axe_helpers import axe_findings
from tests.browser.conftest import (
    DESK,
    PHONE,
    SAREE,
    click_through,
    flash,
    log_in,
    stock_the_shop,
    switch_language,
)
from tests.factories import listing, make_seller, make_user

expect = pytest.importorskip("playwright.sync_api").expect


@dataclass
class World:
    buyer: str
    seller: str            # approved, with a live listing and one waiting for review
    new_seller: str        # still filling in the onboarding checklist
    saree: int             # a live listing
    waiting_listing: int   # submitted, not yet reviewed
    waiting_seller: int    # an application waiting for review
    sold_out: int          # a live listing with no stock left


BUYER_PAGES = [
    ("home", "/"),
    ("state", "/states/9"),
    ("district", "/districts/187"),
    ("product", lambda world: f"/products/{world.saree}"),
    ("search", "/search?q=saree"),
    ("sold-out product", lambda world: f"/products/{world.sold_out}"),
    ("search finding a sold-out product", "/search?q=stole"),
    ("stock alerts", "/stock-alerts"),
    ("cart", "/cart"),
    ("checkout", "/checkout"),
]
SELLER_PAGES = [
    ("listing editor", lambda world: f"/seller/listings/{world.waiting_listing}"),
    ("seller's listings", "/seller/listings"),
    ("seller's orders", "/seller/orders"),
    ("account", "/account"),
]
NEW_SELLER_PAGES = [
    ("onboarding checklist", "/seller/onboarding"),
    ("onboarding section", "/seller/onboarding/business"),
]
STAFF_PAGES = [
    ("staff dashboard", "/staff"),
    ("staff seller review", lambda world: f"/staff/sellers/{world.waiting_seller}"),
    ("staff listing review", lambda world: f"/staff/listings/{world.waiting_listing}"),
    ("staff seller queue", "/staff/sellers"),
    ("staff listing queue", "/staff/listings"),
    ("staff orders", "/staff/orders"),
    ("staff accounts", "/staff/users"),
    ("staff audit log", "/staff/audit"),
]


def _build(app) -> World:
    shop = stock_the_shop(app)
    new_seller, _ = make_seller(app, "complete")
    _, waiting_seller = make_seller(app, "submitted")
    with app.app_context():
        seller_id = db.session.scalar(select(Seller.id).join(User).where(
            User.email == shop.saree_seller))
        saree = db.session.scalar(select(Listing.id).where(Listing.seller_id == seller_id))
    waiting = listing(app, seller_id, "Silk dupatta", approve=False)
    sold_out = listing(app, seller_id, "Blue silk stole", stock="0")
    return World(shop.buyer, shop.saree_seller, new_seller, saree, waiting, waiting_seller,
                 sold_out)


def _check(page, world: World, pages, findings: list[str]) -> None:
    for label, address in pages:
        page.goto(address(world) if callable(address) else address)
        findings += axe_findings(page, label)
        switch_language(page, "hi")
        findings += axe_findings(page, label)
        switch_language(page, "en")


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["360px", "1280px"])
def test_the_main_pages_have_no_serious_accessibility_findings(live_server, start_journey,
                                                               viewport):
    world = _build(live_server.app)
    journey = start_journey(live_server, f"accessibility-{viewport['width']}")
    findings: list[str] = []

    buyer = journey.page("buyer", viewport)
    log_in(buyer, world.buyer)
    buyer.goto(f"/products/{world.saree}")
    click_through(buyer, buyer.get_by_role("button", name="Add to cart"))
    expect(flash(buyer)).to_contain_text("Added to your cart.")
    expect(buyer.get_by_role("heading", name=SAREE, exact=True)).to_be_visible()
    buyer.goto(f"/products/{world.sold_out}")
    click_through(buyer, buyer.get_by_role("button", name="Tell me when it is back"))
    expect(flash(buyer)).to_contain_text("we will email")
    _check(buyer, world, BUYER_PAGES, findings)

    for who, email, pages in (("seller", world.seller, SELLER_PAGES),
                              ("new seller", world.new_seller, NEW_SELLER_PAGES)):
        page = journey.page(who, viewport)
        log_in(page, email)
        _check(page, world, pages, findings)

    staff = journey.page("staff", viewport)  # an admin: the accounts and the audit log are theirs
    log_in(staff, make_user(live_server.app, Role.ADMIN))
    _check(staff, world, STAFF_PAGES, findings)

    assert not findings, "axe-core findings:\n  " + "\n  ".join(findings)
    journey.finish()
