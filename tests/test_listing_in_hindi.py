"""A seller may write the listing's title and description in Hindi as well: saved with the
English ones (in the same version staff approve) and shown to buyers reading Hindi."""

import re

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, OdopProduct, Role, User
from odop_bazaar.services import catalogue as listings
from tests.conftest import log_in, submit
from tests.factories import make_jpeg, make_places, make_seller, make_user

HINDI_TITLE = "लाल बनारसी रेशमी साड़ी"


def _new_listing(client, app, **changes):
    with app.app_context():
        product = db.session.scalar(select(OdopProduct.id).where(
            OdopProduct.name == "Banarasi Silk Sarees"))
    data = {"odop_product_id": str(product), "title": "Red Banarasi silk saree",
            "description": "Pure silk, gold zari border.", "unit": "piece",
            "net_quantity": "1", "gst_rate": "5", "hsn_code": "5007",
            "country_of_origin": "India", "price": "12,500", "mrp": "14000", "stock": "3",
            **changes}
    return submit(client, "/seller/listings/new", data)


def _approve(app, listing_id):
    with app.test_request_context():
        listing = db.session.get(Listing, listing_id)
        listings.add_photos(listing.seller, listing,
                            [listings.PhotoUpload("a.jpg", make_jpeg())])
        listings.submit_listing(listing.seller, listing)
        staff = db.session.scalar(select(User).where(User.role == Role.STAFF))
        listings.approve_listing(listing, staff)


def test_a_hindi_title_written_by_the_seller_reaches_hindi_buyers(app, client):
    make_places(app)
    email, _ = make_seller(app, "approved")
    seller = app.test_client()
    log_in(seller, email)
    too_long = _new_listing(seller, app, title_hi="क" * 121)
    assert too_long.status_code == 422  # refused, with the message beside the field
    assert re.search(r'id="title_hi-error">.*?Use at most 120 characters', too_long.get_data(
        as_text=True), re.S)
    response = _new_listing(seller, app, title_hi=f"  {HINDI_TITLE} ",
                            description_hi="शुद्ध रेशम, सुनहरी ज़री।")
    assert response.status_code in (302, 303)
    listing_id = int(re.search(r"/seller/listings/(\d+)", response.location).group(1))
    make_user(app, Role.STAFF)
    _approve(app, listing_id)

    hindi = client.get(f"/hi/products/{listing_id}", follow_redirects=True).get_data(
        as_text=True)
    assert f"<h1>{HINDI_TITLE}</h1>" in hindi and "शुद्ध रेशम" in hindi
    english = client.get(f"/products/{listing_id}", follow_redirects=True).get_data(
        as_text=True)
    assert "<h1>Red Banarasi silk saree</h1>" in english and HINDI_TITLE not in english

    # The editor shows them back, and they are part of the version staff approved.
    page = seller.get(f"/seller/listings/{listing_id}").get_data(as_text=True)
    assert f'value="{HINDI_TITLE}"' in page
    with app.app_context():
        content = db.session.get(Listing, listing_id).live_content
        assert (content.title_hi, content.description_hi) == (HINDI_TITLE,
                                                               "शुद्ध रेशम, सुनहरी ज़री।")
