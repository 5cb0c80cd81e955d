"""Cart and checkout on a phone (360×740) with three items: the total and the next step ("Go to
checkout", "Place order") are in the first screen, without scrolling; on the cart they stay in
reach while the buyer scrolls down the lines."""

import re

import pytest

from tests.browser.conftest import (
    PHONE,
    click_through,
    flash,
    h1,
    live_listing,
    log_in,
    stock_the_shop,
)
from tests.factories import make_seller

expect = pytest.importorskip("playwright.sync_api").expect


def _in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_the_total_and_the_next_step_are_in_the_first_screen(live_server, start_journey):
    app = live_server.app
    shop = stock_the_shop(app)
    _, seller_id = make_seller(app, "approved", seller_type="artisan", district=171,
                               product_names=("Metal Craft",))
    live_listing(app, seller_id, "Brass bell", "A temple bell.", price="450", mrp="500")
    journey = start_journey(live_server, "cart-checkout-layout")
    buyer = journey.page("buyer")
    log_in(buyer, shop.buyer)
    buyer.goto("/")
    titles = buyer.locator(".product-card .product-card-title").all_inner_texts()
    for title in titles[:3]:
        buyer.goto("/")
        click_through(buyer, buyer.locator(".product-card").get_by_text(title, exact=True))
        click_through(buyer, buyer.get_by_role("button", name="Add to cart"))
        expect(flash(buyer)).to_contain_text("Added to your cart.")
    expect(buyer.locator(".cart-line")).to_have_count(3)

    total = buyer.locator("[data-next-step]")
    checkout = buyer.get_by_role("link", name="Go to checkout")
    expect(total).to_contain_text(re.compile(r"Total ₹[\d,]+\.\d\d"))
    assert _in_first_screen(buyer, total) and _in_first_screen(buyer, checkout)
    journey.shoot(buyer, "cart")
    buyer.mouse.wheel(0, 1500)  # down past the lines: the next step is still there
    buyer.wait_for_timeout(200)
    assert _in_first_screen(buyer, checkout)

    click_through(buyer, checkout)
    expect(h1(buyer)).to_have_text("Checkout")
    total = buyer.locator("[data-next-step]")
    place = buyer.get_by_role("button", name="Place order", exact=True)
    expect(total).to_contain_text(re.compile(r"Total to pay ₹[\d,]+\.\d\d"))
    assert _in_first_screen(buyer, total) and _in_first_screen(buyer, place)
    journey.shoot(buyer, "checkout")
    journey.finish()
