"""A Hindi-speaking buyer on a phone reads places and crafts in Hindi: the district page, its
breadcrumb, a product card and the product page; the same pages in English keep the English
names. Screenshots at 360 px in both languages."""

import pytest

from tests.browser.conftest import LAMP, click_through, h1, stock_the_shop, switch_language
from tests.hindi_helpers import write_hindi_names

expect = pytest.importorskip("playwright.sync_api").expect


def test_a_buyer_reads_place_and_craft_names_in_hindi(live_server, start_journey, tmp_path):
    app = live_server.app
    stock_the_shop(app)
    with app.app_context():
        from odop_bazaar.services.reference import hindi_names

        hindi_names.apply_names(write_hindi_names(tmp_path / "hindi"))
    journey = start_journey(live_server, "hindi-place-names")
    buyer = journey.page("buyer")

    buyer.goto("/hi/districts/171")
    expect(h1(buyer)).to_contain_text("मुरादाबाद")
    crumbs = buyer.get_by_role("navigation", name="आप यहाँ हैं")
    expect(crumbs.get_by_role("link", name="उत्तर प्रदेश")).to_be_visible()
    card = buyer.locator(".product-card").filter(has_text=LAMP)
    expect(card.locator(".product-card-meta")).to_contain_text("धातु शिल्प · मुरादाबाद")
    switch_language(buyer, "en")
    expect(h1(buyer)).to_contain_text("Moradabad")
    expect(card.locator(".product-card-meta")).to_contain_text("Metal Craft · Moradabad")
    journey.shoot(buyer, "district")  # in English, then in Hindi

    switch_language(buyer, "hi")
    click_through(buyer, card.get_by_role("heading", name=LAMP))
    expect(h1(buyer)).to_have_text(LAMP)
    expect(buyer.locator(".product-odop")).to_contain_text("धातु शिल्प, मुरादाबाद")
    crumbs = buyer.get_by_role("navigation", name="आप यहाँ हैं")
    expect(crumbs.get_by_role("link", name="मुरादाबाद")).to_be_visible()
    switch_language(buyer, "en")
    expect(buyer.locator(".product-odop")).to_contain_text("Metal Craft, Moradabad")
    expect(buyer.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Uttar Pradesh")).to_be_visible()
    journey.shoot(buyer, "product")
    journey.finish()
