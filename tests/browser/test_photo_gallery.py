"""A buyer on a phone sees every photo of a product: a tap on the second opens it full size in
the gallery (swipe or arrows to the next, Esc to close); without JavaScript each photo is a
plain link to its full-size file."""

import re

import pytest

from tests.browser.conftest import listing_with_photos, stock_the_shop

expect = pytest.importorskip("playwright.sync_api").expect
FULL_WIDTH = 1600  # the largest size the photo pipeline makes (images.SIZES)


def _listing_with_three_photos(app) -> int:
    stock_the_shop(app)
    return listing_with_photos(app, "Meera's Looms", "Gold zari dupatta", "Three photos.",
                               price="2,000", mrp="2,400")


def test_the_second_photo_opens_full_size_and_the_gallery_moves_on(live_server, start_journey):
    listing_id = _listing_with_three_photos(live_server.app)
    journey = start_journey(live_server, "photo-gallery")
    buyer = journey.page("buyer")
    buyer.goto(f"/products/{listing_id}")
    links = buyer.locator(".product-photos > a")
    expect(links).to_have_count(3)

    links.nth(1).click()  # "Photo 2 of 3, full size"
    dialog = buyer.locator(".pswp")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".pswp__counter")).to_have_text("2 / 3")
    shown = dialog.locator(
        ".pswp__item[aria-hidden='false'] img.pswp__img:not(.pswp__img--placeholder)")
    expect(shown).to_have_attribute(
        "src", re.compile(re.escape(links.nth(1).get_attribute("href")) + "$"))
    shown.evaluate("image => image.decode()")
    assert shown.evaluate("image => image.naturalWidth") == FULL_WIDTH

    buyer.keyboard.press("ArrowRight")
    expect(dialog.locator(".pswp__counter")).to_have_text("3 / 3")
    buyer.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    journey.finish()


def test_without_javascript_each_photo_links_to_its_full_size_file(live_server, start_journey):
    listing_id = _listing_with_three_photos(live_server.app)
    journey = start_journey(live_server, "photo-gallery-no-js")
    buyer = journey.page("buyer", javascript=False)
    buyer.goto(f"/products/{listing_id}")
    second = buyer.get_by_role("link", name="Photo 2 of 3, full size")
    with buyer.expect_navigation():
        second.click()
    assert buyer.evaluate("document.images[0].naturalWidth") == FULL_WIDTH
    journey.finish()
