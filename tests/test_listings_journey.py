"""Listings through the web forms: create, photos, review, an edit that buyers only see once
approved, and quick price and stock changes."""

import io
import re

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, ListingContent, OdopProduct, Role
from odop_bazaar.services import catalogue as listings
from tests.conftest import log_in, submit
from tests.factories import admin_user, make_jpeg, make_places, make_seller, make_user


@pytest.fixture
def approved_seller(app):
    make_places(app)
    email, seller_id = make_seller(app, "approved")
    client = app.test_client()
    log_in(client, email)
    return client, seller_id


def product_id(app, name):
    with app.app_context():
        return db.session.scalar(select(OdopProduct.id).where(OdopProduct.name == name))


def new_listing(client, app, token_from=None, **changes):
    data = {"odop_product_id": str(product_id(app, "Banarasi Silk Sarees")),
            "title": "Red Banarasi silk saree", "description": "Pure silk, gold zari border.",
            "unit": "piece", "net_quantity": "1", "gst_rate": "5", "hsn_code": "5007",
            "country_of_origin": "India", "price": "12,500", "mrp": "14000", "stock": "3",
            **changes}
    return submit(client, "/seller/listings/new", data, token_from=token_from)


def buyer_title(app, listing_id):
    with app.app_context():
        view = listings.buyer_view(listing_id)
        return view[1].title if view else None


def test_list_review_edit_and_approve_again(app, approved_seller, outbox):
    client, seller_id = approved_seller
    response = new_listing(client, app)
    assert response.status_code == 302, response.get_data(as_text=True)
    listing_id = int(re.search(r"/seller/listings/(\d+)", response.location).group(1))
    page = client.get(f"/seller/listings/{listing_id}").get_data(as_text=True)
    assert "Add at least one photo." in page and "Submit for review" not in page

    response = submit(client, f"/seller/listings/{listing_id}/photos",
                      {"photos": [(io.BytesIO(make_jpeg(1200, 900, gps=True)), "a.jpg"),
                                  (io.BytesIO(make_jpeg(900, 1200)), "b.jpg")]},
                      token_from=f"/seller/listings/{listing_id}")
    assert response.status_code == 302
    assert submit(client, f"/seller/listings/{listing_id}/status", {"submit_review": "1"},
                  token_from=f"/seller/listings/{listing_id}").status_code == 302
    assert buyer_title(app, listing_id) is None  # not approved yet

    staff = app.test_client()
    log_in(staff, make_user(app, role=Role.STAFF))
    queue = staff.get("/staff/listings").get_data(as_text=True)
    assert "Red Banarasi silk saree" in queue
    review = staff.get(f"/staff/listings/{listing_id}").get_data(as_text=True)
    assert "Banarasi Silk Sarees" in review and "srcset" in review
    response = submit(staff, f"/staff/listings/{listing_id}/decision",
                      {"approve": "1", "note": ""}, token_from=f"/staff/listings/{listing_id}")
    assert response.status_code == 302
    assert buyer_title(app, listing_id) == "Red Banarasi silk saree"
    assert "is live" in outbox[-1]["Subject"]

    # An edit: buyers keep the approved text until staff approve the change.
    response = submit(client, f"/seller/listings/{listing_id}/content", {
        "odop_product_id": str(product_id(app, "Banarasi Silk Sarees")),
        "title": "Red Banarasi silk saree with meenakari", "description": "Pure silk.",
        "unit": "piece", "net_quantity": "1", "gst_rate": "5", "country_of_origin": "India"},
        token_from=f"/seller/listings/{listing_id}")
    assert response.status_code == 302
    assert buyer_title(app, listing_id) == "Red Banarasi silk saree"
    submit(client, f"/seller/listings/{listing_id}/status", {"submit_review": "1"},
           token_from=f"/seller/listings/{listing_id}")
    assert buyer_title(app, listing_id) == "Red Banarasi silk saree"
    review = staff.get(f"/staff/listings/{listing_id}").get_data(as_text=True)
    assert "Edit of a live listing" in review
    submit(staff, f"/staff/listings/{listing_id}/decision",
           {"request_changes": "1", "reasons": ["photo_quality"], "note": "Sharper photos"},
           token_from=f"/staff/listings/{listing_id}")
    assert buyer_title(app, listing_id) == "Red Banarasi silk saree"
    page = client.get(f"/seller/listings/{listing_id}").get_data(as_text=True)
    assert "Photo quality" in page and "Sharper photos" in page
    assert "Photo quality" in outbox[-1].get_content()
    submit(client, f"/seller/listings/{listing_id}/status", {"submit_review": "1"},
           token_from=f"/seller/listings/{listing_id}")
    submit(staff, f"/staff/listings/{listing_id}/decision", {"approve": "1"},
           token_from=f"/staff/listings/{listing_id}")
    assert buyer_title(app, listing_id) == "Red Banarasi silk saree with meenakari"


def test_price_and_stock_change_at_once_and_price_cannot_pass_mrp(app, approved_seller):
    client, _ = approved_seller
    listing_id = int(re.search(r"(\d+)", new_listing(client, app).location).group(1))
    response = submit(client, f"/seller/listings/{listing_id}/price",
                      {"price": "15000", "mrp": "14000", "stock": "2"},
                      token_from=f"/seller/listings/{listing_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "cannot be more than the MRP" in page
    assert 'value="15000"' in page
    response = submit(client, f"/seller/listings/{listing_id}/price",
                      {"price": "9,999.50", "mrp": "14000", "stock": "7", "back": "index"},
                      token_from="/seller/listings")
    assert response.status_code == 302 and response.location == "/seller/listings"
    with app.app_context():
        listing = db.session.get(Listing, listing_id)
        assert (listing.price_paise, listing.mrp_paise, listing.stock) == (999950, 1400000, 7)


@pytest.mark.parametrize("name", ["Metal Craft", "Cashew"])
def test_a_product_of_another_district_or_not_registered_is_refused(app, approved_seller, name):
    client, _ = approved_seller
    response = new_listing(client, app, odop_product_id=str(product_id(app, name)))
    assert response.status_code == 422
    assert "registered for your district" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Listing)).all() == []


def test_a_product_of_the_district_the_seller_did_not_register_is_refused(app, approved_seller):
    client, _ = approved_seller
    response = new_listing(client, app,
                           odop_product_id=str(product_id(app, "Wooden Lacquerware and Toys")))
    assert response.status_code == 422


def test_sellers_not_approved_cannot_list(app):
    make_places(app)
    email, _ = make_seller(app, "submitted")
    client = app.test_client()
    log_in(client, email)
    assert client.get("/seller/listings/new").status_code == 302
    assert new_listing(client, app, token_from="/seller/onboarding").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Listing)).all() == []


def live_listing(app, seller_id):
    from odop_bazaar.models import Seller, User

    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        listing = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": "Saree",
                     "description": "Silk", "gst_rate": 5},
            {"price": "100", "mrp": "120", "stock": "0", "made_to_order": True,
             "lead_time_days": "10"})
        listings.add_photos(seller, listing, [listings.PhotoUpload("a.jpg", make_jpeg())])
        listings.submit_listing(seller, listing)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listings.approve_listing(listing, staff)
        return listing.id, staff.id


def test_suspending_the_seller_hides_their_listings_and_reinstating_shows_them(app):
    from odop_bazaar.models import Seller
    from odop_bazaar.services import sellers as onboarding

    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id, _ = live_listing(app, seller_id)
    assert buyer_title(app, listing_id) == "Saree"
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        onboarding.suspend_seller(seller, admin_user(), "Fake GI tag")
    assert buyer_title(app, listing_id) is None
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        onboarding.reinstate_seller(seller, admin_user(), "Cleared")
    assert buyer_title(app, listing_id) == "Saree"


def test_unpublish_and_republish_without_changes_needs_no_review(app):
    from odop_bazaar.models import Seller

    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id, _ = live_listing(app, seller_id)
    with app.test_request_context():
        seller, listing = db.session.get(Seller, seller_id), db.session.get(Listing, listing_id)
        listings.unpublish_listing(seller, listing)
        assert listings.buyer_view(listing_id) is None
        listings.republish_listing(seller, listing)
        assert listing.status == "approved" and listings.buyer_view(listing_id) is not None
        listings.unpublish_listing(seller, listing)
        listings.update_content(seller, listing, {
            "odop_product_id": seller.products[0].id, "title": "Saree, new", "gst_rate": 5,
            "description": "Silk"})
        listings.republish_listing(seller, listing)
        assert listing.status == "submitted"
        assert listings.buyer_view(listing_id)[1].title == "Saree"


def test_staff_decisions_need_a_reason_and_are_audited(app):
    from odop_bazaar.models import AuditEntry, Seller, User

    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id, staff_id = live_listing(app, seller_id)
    with app.test_request_context():
        listing, staff = db.session.get(Listing, listing_id), db.session.get(User, staff_id)
        with pytest.raises(listings.FieldErrors):
            listings.remove_listing(listing, staff, [], "  ")
        listings.remove_listing(listing, staff, ["prohibited", "bogus"], "Ivory")
        assert listing.status == "removed" and listing.review_reasons == "prohibited"
        assert listings.buyer_view(listing_id) is None
        seller = db.session.get(Seller, seller_id)
        with pytest.raises(listings.NotAllowed):
            listings.update_price_and_stock(seller, listing, {"price": "1", "mrp": "1",
                                                              "stock": "1"})
        rows = db.session.execute(select(AuditEntry.from_status, AuditEntry.to_status)
                                  .where(AuditEntry.object_type == "listing",
                                         AuditEntry.action == "status")
                                  .order_by(AuditEntry.id)).all()
        assert [tuple(r) for r in rows] == [("draft", "submitted"), ("submitted", "approved"),
                                            ("approved", "removed")]


def test_staff_cannot_approve_a_version_they_did_not_see(app, approved_seller):
    client, seller_id = approved_seller
    listing_id = int(re.search(r"(\d+)", new_listing(client, app).location).group(1))
    submit(client, f"/seller/listings/{listing_id}/photos",
           {"photos": [(io.BytesIO(make_jpeg()), "a.jpg")]},
           token_from=f"/seller/listings/{listing_id}")
    submit(client, f"/seller/listings/{listing_id}/status", {"submit_review": "1"},
           token_from=f"/seller/listings/{listing_id}")
    staff = app.test_client()
    log_in(staff, make_user(app, role=Role.STAFF))
    page = staff.get(f"/staff/listings/{listing_id}").get_data(as_text=True)
    seen = re.search(r'name="submission" type="hidden" value="([^"]*)"', page).group(1)
    with app.test_request_context():
        from odop_bazaar.models import Seller

        seller, listing = db.session.get(Seller, seller_id), db.session.get(Listing, listing_id)
        listing.status = "draft"  # as if unpublished and edited: resubmitted below
        db.session.commit()
        listings.update_content(seller, listing, {
            "odop_product_id": seller.products[0].id, "title": "Something else",
            "description": "x", "gst_rate": 5})
        listings.submit_listing(seller, listing)
    response = submit(staff, f"/staff/listings/{listing_id}/decision",
                      {"approve": "1", "submission": seen},
                      token_from=f"/staff/listings/{listing_id}", follow_redirects=True)
    assert "changed this listing after you opened it" in response.get_data(as_text=True)
    assert buyer_title(app, listing_id) is None


def test_a_quick_stock_edit_does_not_undo_a_sale_made_meanwhile(app, approved_seller):
    client, _ = approved_seller
    listing_id = int(re.search(r"(\d+)", new_listing(client, app).location).group(1))
    page = client.get("/seller/listings").get_data(as_text=True)
    seen = re.search(r'name="stock_seen" type="hidden" value="(\d+)"', page).group(1)
    assert seen == "3"
    with app.app_context():
        db.session.get(Listing, listing_id).stock = 2  # a sale
        db.session.commit()
    response = submit(client, f"/seller/listings/{listing_id}/price",
                      {"price": "100", "mrp": "100", "stock": "5", "stock_seen": seen,
                       "back": "index"}, token_from="/seller/listings")
    assert response.status_code == 422 and "changed to 2" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Listing, listing_id).stock == 2


def test_a_title_that_grows_when_normalised_is_refused_not_cut(app, approved_seller):
    # क़ typed as one character (U+0958) is stored as two (क + nukta), so 70 typed characters
    # become 140: the seller hears the limit instead of finding the title cut short.
    client, _seller_id = approved_seller
    title = "\u0958" * 70
    response = new_listing(client, app, title=title)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at most 120 characters" in page and title in page
    with app.app_context():
        assert db.session.scalar(select(Listing.id)) is None


def test_a_blank_country_of_origin_is_shown_as_india(app, approved_seller):
    client, _seller_id = approved_seller
    response = new_listing(client, app, country_of_origin="   ")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ListingContent.country_of_origin)) == "India"


def test_the_longest_listing_in_devanagari_fits_in_one_form(app, approved_seller):
    # Every text field at its limit, in a script that URL-encodes to 9 bytes a character:
    # the form-body limit must leave room for it.
    client, _seller_id = approved_seller
    response = new_listing(client, app, title="क" * 120, description="ख" * 5000,
                           manufacturer_name="ग" * 200, manufacturer_address="घ" * 400,
                           consumer_care="च" * 200, country_of_origin="भ" * 60,
                           manufactured_month="2026-10", prepackaged="y")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ListingContent.description)) == "ख" * 5000


def test_one_refused_photo_keeps_the_others_the_seller_chose(app, approved_seller):
    """Six photos chosen on a phone, one of them not a photo: the good ones are added, and the
    page names the one that was not and why (the seller chooses only that one again)."""
    client, _seller_id = approved_seller
    response = new_listing(client, app)
    listing_id = int(re.search(r"/seller/listings/(\d+)", response.location).group(1))
    response = submit(client, f"/seller/listings/{listing_id}/photos",
                      {"photos": [(io.BytesIO(make_jpeg(900, 1200)), "front.jpg"),
                                  (io.BytesIO(b"not a photo at all"), "notes.jpg"),
                                  (io.BytesIO(make_jpeg(1200, 900)), "border.jpg")]},
                      token_from=f"/seller/listings/{listing_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 photos added." in page and "Not added: notes.jpg:" in page
    with app.app_context():
        assert len(db.session.get(Listing, listing_id).working_content.photos) == 2
    # Only bad files: nothing is added, and the page says why.
    response = submit(client, f"/seller/listings/{listing_id}/photos",
                      {"photos": [(io.BytesIO(b"nope"), "a.jpg")]},
                      token_from=f"/seller/listings/{listing_id}")
    assert response.status_code == 422 and "a.jpg:" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(Listing, listing_id).working_content.photos) == 2
