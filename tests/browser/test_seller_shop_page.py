"""A buyer on a phone goes from a product page to its maker's shop page, and from the district
page to the makers working there; screenshots in English and Hindi at 360 px."""

import pytest

from tests.browser.conftest import (
    SAREE,
    click_through,
    h1,
    live_listing,
    stock_the_shop,
)
from tests.factories import make_seller

expect = pytest.importorskip("playwright.sync_api").expect


def test_a_buyer_goes_from_a_product_to_its_makers_shop_page(live_server, start_journey):
    app = live_server.app
    stock_the_shop(app)
    with app.app_context():
        from odop_bazaar.extensions import db
        from odop_bazaar.models import Seller

        weaver = db.session.query(Seller).filter_by(display_name="Meera's Looms").one()
        weaver.story = ("Three generations of our family have woven Banarasi silk on pit looms "
                        "in Varanasi. हम बनारस में हथकरघे पर रेशम बुनते हैं।")
        db.session.commit()
        weaver_id = weaver.id
    live_listing(app, weaver_id, "Red katan silk dupatta", "Handwoven katan silk.", price="2,400",
                 mrp="2,800")
    make_seller(app, "submitted")  # not approved yet: on no page
    journey = start_journey(live_server, "seller-shop")
    buyer = journey.page("buyer")

    # From the district page to the product, then to the maker's page.
    buyer.goto("/districts/187")
    makers = buyer.locator(".district-makers")
    expect(makers.get_by_role("link")).to_have_count(1)
    expect(makers.get_by_role("link", name="Meera's Looms")).to_be_visible()
    click_through(buyer, buyer.locator(".product-card").get_by_role("heading", name=SAREE,
                                                                    exact=True))
    expect(h1(buyer)).to_have_text(SAREE)
    click_through(buyer, buyer.get_by_role("link", name="See the shop of Meera's Looms"))
    expect(h1(buyer)).to_have_text("Meera's Looms")
    assert buyer.url.endswith(f"/sellers/{weaver_id}-meeras-looms")
    expect(buyer.locator(".maker-place")).to_contain_text("Varanasi, Uttar Pradesh")
    expect(buyer.get_by_text("Three generations of our family")).to_be_visible()
    expect(buyer.get_by_role("heading", name="2 products for sale")).to_be_visible()
    expect(buyer.locator(".maker-photos img")).to_have_count(2)
    expect(buyer.locator(".product-card")).to_have_count(2)
    journey.shoot(buyer, "maker")

    # The maker's other product is a tap away; the district in the breadcrumbs leads back.
    click_through(buyer, buyer.locator(".product-card").get_by_role(
        "heading", name="Red katan silk dupatta"))
    expect(h1(buyer)).to_have_text("Red katan silk dupatta")
    buyer.go_back()
    click_through(buyer, buyer.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Varanasi"))
    expect(h1(buyer)).to_contain_text("Varanasi")
    journey.shoot(buyer, "district-makers")
    journey.finish()
