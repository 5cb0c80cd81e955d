"""The phone header: one row (the mark, the other language, search, the cart with its count and
a menu) for every role in both languages; the menu opens by keyboard and without JavaScript, and
from 600 px its links show in a bar. Prints the header's height at 360 px per role and language."""

import pytest

from odop_bazaar.models import Role
from tests.browser.conftest import (
    DESK,
    PHONE,
    SAREE,
    click_through,
    flash,
    h1,
    log_in,
    stock_the_shop,
    switch_language,
)
from tests.factories import make_user

expect = pytest.importorskip("playwright.sync_api").expect

ONE_ROW = 64  # px: a 44 px touch target and its padding


def _header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


def test_the_header_is_one_row_with_the_cart_count_and_a_menu(live_server, start_journey):
    shop = stock_the_shop(live_server.app)
    staff = make_user(live_server.app, Role.STAFF, email="staff-header@example.com")
    journey = start_journey(live_server, "compact-header")
    heights = {}
    for who, email in (("buyer", shop.buyer), ("seller", shop.saree_seller), ("staff", staff)):
        page = journey.page(who)
        log_in(page, email)
        page.goto("/")
        for language in ("en", "hi"):
            if language == "hi":
                switch_language(page, "hi")
            heights[f"{who} {language}"] = _header_height(page)
        switch_language(page, "en")
    print("\nHeader height at 360 px:", heights)
    assert all(height <= ONE_ROW for height in heights.values()), heights

    # The buyer's cart count, and the menu by keyboard.
    buyer = journey.pages["buyer"]
    buyer.goto("/")
    cart = buyer.get_by_role("navigation", name="Main").get_by_role("link", name="Cart")
    expect(cart).to_have_accessible_name("Cart")  # an empty cart: no count
    click_through(buyer, buyer.locator(".product-card").get_by_role("heading", name=SAREE))
    click_through(buyer, buyer.get_by_role("button", name="Add to cart"))
    expect(flash(buyer)).to_contain_text("Added to your cart.")
    expect(cart).to_have_accessible_name("Cart 1")
    expect(buyer.locator("[data-cart-count]")).to_be_visible()
    journey.shoot(buyer, "cart-with-count")
    orders = buyer.get_by_role("link", name="Your orders")
    expect(orders).to_be_hidden()
    menu = buyer.locator("header summary")
    menu.focus()
    buyer.keyboard.press("Enter")
    expect(orders).to_be_visible()
    expect(buyer.locator("header details")).to_have_attribute("open", "")
    journey.check_width(buyer, "menu open")
    buyer.screenshot(path=str(journey.folder / "menu-open-en.png"))
    buyer.keyboard.press("Escape")
    expect(orders).to_be_hidden()
    expect(menu).to_be_focused()
    buyer.keyboard.press("Enter")
    buyer.keyboard.press("Tab")  # into the menu: the first of its links
    expect(buyer.get_by_role("link", name="Home")).to_be_focused()
    click_through(buyer, buyer.get_by_role("link", name="Your orders"))
    expect(h1(buyer)).to_have_text("Your orders")

    # On a desk the menu's links are a bar, with nothing to open.
    desk = journey.page("buyer at a desk", viewport=DESK)
    log_in(desk, shop.buyer)
    expect(desk.get_by_role("link", name="Your orders")).to_be_visible()
    expect(desk.locator("header summary")).to_be_hidden()
    assert _header_height(desk) <= 2 * ONE_ROW
    journey.finish()


def test_the_menu_opens_without_javascript(live_server, browser):
    shop = stock_the_shop(live_server.app)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url,
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, shop.buyer)
        page.goto("/cart")
        expect(page.get_by_role("link", name="Log out")).to_be_hidden()
        page.locator("header summary").click()
        expect(page.get_by_role("link", name="Log out")).to_be_visible()
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Cart")
               ).to_have_accessible_name("Cart")  # no script, no count: the plain link
        assert _header_height(page) <= ONE_ROW
    finally:
        context.close()
