"""The seller's listing editor on a phone: every label belongs to its input, the photo limits are
said before an upload, and saving one of its forms never silently drops typing in another."""

import pytest
from sqlalchemy import select

from tests.browser.conftest import (
    click_through,
    flash,
    log_in,
    stock_the_shop,
)

expect = pytest.importorskip("playwright.sync_api").expect


def _saree_listing_id(app) -> int:
    from odop_bazaar.extensions import db
    from odop_bazaar.models.catalogue import Listing

    with app.app_context():
        return db.session.scalar(select(Listing.id).order_by(Listing.id).limit(1))


def test_the_editor_warns_before_a_save_drops_typing_in_another_form(live_server, start_journey):
    app = live_server.app
    shop = stock_the_shop(app)
    listing_id = _saree_listing_id(app)
    journey = start_journey(live_server, "listing-editor")
    seller = journey.page("seller")
    log_in(seller, shop.saree_seller)
    seller.goto(f"/seller/listings/{listing_id}")

    # The price input's label is its own (the section used to share its id="price").
    expect(seller.get_by_label("Price in rupees, with GST")).to_have_count(1)
    assert seller.locator("#price").evaluate("element => element.tagName") == "INPUT"
    expect(seller.locator("#photos-title + p.hint")).to_contain_text("each up to 15 MB")

    # Title typed, then "Save price and stock": the page asks before the title is lost.
    seller.get_by_label("Title", exact=True).fill("Red Banarasi silk saree, new title")
    questions = []

    def decline(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    seller.once("dialog", decline)
    seller.get_by_role("textbox", name="Stock").fill("7")
    seller.get_by_role("button", name="Save price and stock").click()
    assert questions and "Details" in questions[0], questions
    # Declined: nothing was sent and the typing is still there.
    expect(seller.get_by_label("Title", exact=True)).to_have_value(
        "Red Banarasi silk saree, new title")

    seller.once("dialog", lambda dialog: dialog.accept())
    click_through(seller, seller.get_by_role("button", name="Save price and stock"))
    expect(flash(seller)).to_be_visible()
    journey.finish()


def test_photo_buttons_are_big_enough_and_removing_asks_first(live_server, start_journey):
    from odop_bazaar.models import Seller
    from odop_bazaar.services import catalogue as listings
    from tests.factories import make_jpeg

    app = live_server.app
    shop = stock_the_shop(app)
    listing_id = _saree_listing_id(app)
    with app.test_request_context():
        from odop_bazaar.extensions import db
        from odop_bazaar.models.catalogue import Listing

        listing = db.session.get(Listing, listing_id)
        seller = db.session.get(Seller, listing.seller_id)
        listings.add_photos(seller, listing, [listings.PhotoUpload(f"{n}.jpg", make_jpeg())
                                              for n in (2, 3)])
    journey = start_journey(live_server, "listing-editor-photos")
    seller = journey.page("seller")
    log_in(seller, shop.saree_seller)
    seller.goto(f"/seller/listings/{listing_id}")
    photos = seller.locator("#photo-list > li")
    expect(photos).to_have_count(3)
    controls = seller.locator(".photo-actions button:visible, .photo-actions summary")
    small = [box for box in (control.bounding_box() for control in controls.all())
             if box["width"] < 44 or box["height"] < 44]
    assert controls.count() >= 7 and small == []

    # "Remove" opens a question; only its answer removes, and the page says it was done.
    photos.nth(2).locator("summary", has_text="Remove").click()
    expect(photos.nth(2)).to_contain_text("Remove photo 3?")
    expect(photos).to_have_count(3)
    click_through(seller, photos.nth(2).get_by_role("button", name="Yes, remove it"))
    expect(flash(seller)).to_contain_text("Photo removed.")
    expect(seller.locator("#photo-list > li")).to_have_count(2)
    journey.finish()
