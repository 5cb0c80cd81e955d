"""Choosing the state in the seller's application without JavaScript: the "Show" button reloads
the page and brings the seller back to the district list, not to the top of the page."""

import pytest

from tests.browser.conftest import click_through, log_in
from tests.factories import make_places, make_seller

expect = pytest.importorskip("playwright.sync_api").expect


def test_without_javascript_the_reload_returns_to_the_district_list(live_server, start_journey):
    make_places(live_server.app)
    email, _ = make_seller(live_server.app, "new")
    journey = start_journey(live_server, "onboarding-places-no-js")
    seller = journey.page("seller", javascript=False)
    log_in(seller, email)
    seller.goto("/seller/onboarding/products")
    seller.get_by_label("State or union territory").select_option(label="Uttar Pradesh")
    click_through(seller, seller.get_by_role("button", name="Show districts and products"))
    assert seller.url.endswith("#district-choice")
    expect(seller.get_by_label("District").locator("option", has_text="Varanasi")).to_have_count(1)
    assert seller.evaluate("window.scrollY") > 0  # at the district list, not the page's top
    journey.finish()
