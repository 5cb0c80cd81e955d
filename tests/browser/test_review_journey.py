"""A buyer on a phone reviews a delivered saree from their order page, with a photo; the review
shows on the product page with the rating bars; the seller replies once. Screenshots in English
and Hindi at 360 px."""

import pytest

from tests.browser.conftest import click_through, flash, go_to, h1, log_in
from tests.factories import make_jpeg
from tests.review_helpers import bought

expect = pytest.importorskip("playwright.sync_api").expect


def test_a_buyer_reviews_a_delivered_item_and_the_seller_replies(live_server, start_journey,
                                                                  tmp_path):
    app = live_server.app
    sale = bought(app, live_server.url)  # the saree is delivered, the stole is not
    photo = tmp_path / "saree.jpg"
    photo.write_bytes(make_jpeg(gps=True))
    journey = start_journey(live_server, "reviews")
    buyer = journey.page("buyer")
    log_in(buyer, sale["buyer_email"])
    go_to(buyer, "Your orders")
    click_through(buyer, buyer.locator("main a[href^='/orders/ODB-']").first)
    expect(buyer.get_by_role("link", name="Write a review")).to_have_count(1)
    click_through(buyer, buyer.get_by_role("link", name="Write a review"))
    expect(h1(buyer)).to_contain_text("Review")
    # Nothing chosen: the refusal is beside the field, and the text stays.
    buyer.get_by_label("Your review (optional, in any language)").fill(
        "सुंदर बुनाई, रंग बिल्कुल फ़ोटो जैसा। Lovely weave.")
    click_through(buyer, buyer.get_by_role("button", name="Publish your review"))
    expect(buyer.locator("#rating-error")).to_contain_text("Choose a rating from 1 to 5")
    expect(buyer.get_by_label("Your review (optional, in any language)")).to_have_value(
        "सुंदर बुनाई, रंग बिल्कुल फ़ोटो जैसा। Lovely weave.")
    journey.shoot(buyer, "review-refused")
    # The refused form answers 422, which Chromium logs as a failed resource: expected here.
    journey.problems[:] = [p for p in journey.problems if "status of 422" not in p]
    # The screenshots reloaded the page in each language, so the form is empty again.
    buyer.get_by_label("Your review (optional, in any language)").fill(
        "सुंदर बुनाई, रंग बिल्कुल फ़ोटो जैसा। Lovely weave.")
    buyer.get_by_label("4 stars: good").check()
    buyer.get_by_label("Photos (optional, up to 3)").set_input_files(str(photo))
    click_through(buyer, buyer.get_by_role("button", name="Publish your review"))
    expect(flash(buyer)).to_contain_text("your review is published")
    expect(buyer.get_by_role("link", name="Your review")).to_have_count(1)

    seller = journey.page("seller")
    log_in(seller, sale["saree"]["seller_email"])
    go_to(seller, "Reviews")
    seller.get_by_label("Your reply (you can reply once)").fill("धन्यवाद! Thank you.")
    click_through(seller, seller.get_by_role("button", name="Publish your reply"))
    expect(flash(seller)).to_contain_text("Your reply is published")
    expect(seller.get_by_role("button", name="Publish your reply")).to_have_count(0)
    journey.shoot(seller, "seller-reviews")

    buyer.goto(f"/products/{sale['saree']['listing']}")
    reviews = buyer.locator("#reviews")
    expect(reviews).to_contain_text("4.0 out of 5")
    expect(reviews).to_contain_text("Verified purchase")
    expect(reviews).to_contain_text("सुंदर बुनाई, रंग बिल्कुल फ़ोटो जैसा। Lovely weave.")
    expect(reviews).to_contain_text("धन्यवाद! Thank you.")
    expect(reviews.locator(".review-photos img")).to_have_count(1)
    expect(reviews.locator(".rating-bar")).to_have_count(5)
    reviews.scroll_into_view_if_needed()
    journey.shoot(buyer, "product-reviews")
    journey.finish()
