"""A seller's chosen document survives a wrong answer elsewhere in the section: the page says it
is kept, and saving again without choosing it stores it."""

import pytest

from odop_bazaar.extensions import db
from odop_bazaar.models import Seller
from tests.browser.conftest import click_through, flash, log_in
from tests.factories import make_pdf, make_places, make_seller

expect = pytest.importorskip("playwright.sync_api").expect


def test_a_kept_document_is_saved_without_choosing_it_again(live_server, start_journey,
                                                            tmp_path):
    make_places(live_server.app)
    email, seller_id = make_seller(live_server.app, "new")
    card = tmp_path / "pan-card.pdf"
    card.write_bytes(make_pdf())
    journey = start_journey(live_server, "kept-uploads")
    seller = journey.page("seller")
    log_in(seller, email)
    seller.goto("/seller/onboarding/pan")
    seller.get_by_label("PAN", exact=True).fill("ABCDE12")
    seller.get_by_label("Name as on the PAN card").fill("MEERA DEVI")
    seller.get_by_label("Copy of the PAN card").set_input_files(str(card))
    click_through(seller, seller.get_by_role("button", name="Save and come back later"))

    expect(seller.locator(".error-summary")).to_be_visible()
    kept = seller.locator("[data-kept-file]")
    expect(kept).to_contain_text("Kept: pan-card.pdf (")
    expect(kept).to_contain_text("choose another file to replace it")
    # The note is read out with the file field, whose own choice is empty again.
    expect(seller.get_by_label("Copy of the PAN card")).to_have_attribute(
        "aria-describedby", "pan_card-hint pan_card-kept")
    journey.check_width(seller, "pan-kept")  # the file's name fits a phone

    seller.get_by_label("PAN", exact=True).fill("ABCPE1234F")
    click_through(seller, seller.get_by_role("button", name="Save and come back later"))
    expect(flash(seller)).to_contain_text("Saved.")
    with live_server.app.app_context():
        assert len(db.session.get(Seller, seller_id).documents_of("pan_card")) == 1
    seller.goto("/seller/onboarding/pan")
    expect(seller.get_by_role("link", name="View the uploaded file")).to_have_count(1)
    # The page that came back with errors is a 422, which the browser notes; nothing else.
    assert [p for p in journey.problems if "status of 422" not in p] == []
    assert journey.sideways == []
