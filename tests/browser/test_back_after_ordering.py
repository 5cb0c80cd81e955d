"""Back and reload after ordering: a checkout refused once (a mistake in the address), then put
right and placed, leaves a history the browser can walk back through without offering to send
the form again and without an empty "Checkout" at ₹0.00; with cash on delivery and by card."""

import re

import pytest

from tests.browser.conftest import (
    ADDRESS,
    SAREE,
    click_through,
    flash,
    h1,
    log_in,
    stock_the_shop,
)

expect = pytest.importorskip("playwright.sync_api").expect


def _fill_in_the_address(page, payment: str) -> None:
    for label, key in (("Name of the person receiving it", "name"), ("Mobile number", "phone"),
                       ("House, street or village", "line1"), ("Town or city", "city"),
                       ("PIN code", "pin")):
        page.get_by_label(label).fill(ADDRESS[key])
    page.get_by_label("State", exact=True).select_option(label=ADDRESS["state"])
    page.get_by_role("radio", name=payment).check()


def _order_refused_then_placed(server, start_journey, payment: str, lands_on: str):
    shop = stock_the_shop(server.app)
    journey = start_journey(server, f"back-after-ordering-{payment.split()[0].lower()}")
    buyer = journey.page("buyer")
    log_in(buyer, shop.buyer)
    buyer.goto("/search?q=saree")
    click_through(buyer, buyer.locator(".product-card").get_by_role("heading", name=SAREE))
    click_through(buyer, buyer.get_by_role("button", name="Add to cart"))
    expect(flash(buyer)).to_contain_text("Added to your cart.")
    click_through(buyer, buyer.get_by_role("link", name="Go to checkout"))
    _fill_in_the_address(buyer, payment)
    buyer.get_by_label("PIN code").fill("12")  # one mistake
    click_through(buyer, buyer.get_by_role("button", name="Place order", exact=True))
    expect(buyer.locator(".error-summary")).to_contain_text("PIN")
    expect(buyer.get_by_label("House, street or village")).to_have_value("12 Lanka Road")
    buyer.reload()  # a reload of the refused page sends nothing again
    expect(h1(buyer)).to_have_text("Checkout")
    expect(buyer.get_by_label("PIN code")).to_have_value("12")
    buyer.get_by_label("PIN code").fill("221005")
    click_through(buyer, buyer.get_by_role("button", name="Place order", exact=True))
    expect(h1(buyer)).to_have_text(lands_on)
    placed_at = buyer.url

    buyer.go_back()  # to the checkout of a cart now empty: the cart, with a message
    expect(h1(buyer)).to_have_text("Your cart")
    expect(flash(buyer)).to_contain_text("Your cart is empty.")
    expect(buyer.locator("body")).not_to_contain_text("₹0.00")
    buyer.reload()
    expect(h1(buyer)).to_have_text("Your cart")
    buyer.go_back()
    expect(buyer.locator("body")).not_to_contain_text("₹0.00")
    expect(h1(buyer)).not_to_have_text("Checkout")
    buyer.go_forward()
    buyer.go_forward()
    expect(buyer).to_have_url(re.compile(re.escape(placed_at)))
    journey.finish()


def test_back_after_a_cash_order_with_one_mistake(live_server, start_journey):
    _order_refused_then_placed(live_server, start_journey, "Cash on delivery",
                               lands_on=re.compile(r"^Order "))


def test_back_after_a_card_order_with_one_mistake(card_live_server, stripe_server, start_journey):
    _order_refused_then_placed(card_live_server, start_journey, "Card (Stripe)",
                               lands_on="Pay by card")
