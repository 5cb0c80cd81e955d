"""A seller's app may send the listing's title and description in Hindi as well (`title_hi`,
`description_hi`): checked as the listing form checks them, saved in the version staff approve,
cleared by null or "", and shown to buyers by the catalogue API once approved."""

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Role, Seller, User
from odop_bazaar.services import catalogue
from tests.api_review_helpers import token_for
from tests.factories import make_jpeg, make_places, make_seller, make_user

LISTINGS = "/api/v1/seller/listings"
HINDI_TITLE = "लाल बनारसी रेशमी साड़ी"
HINDI_DESCRIPTION = "शुद्ध रेशम, सुनहरी ज़री।"


@pytest.fixture
def seller(app):
    """An approved seller's id and a token with read and seller:write."""
    make_places(app)
    email, seller_id = make_seller(app, "approved")
    make_user(app, Role.STAFF)
    return seller_id, token_for(app, email, ["read", "seller:write"])


def new_listing(app, seller_id: int, **changes) -> dict:
    with app.app_context():
        product = db.session.get(Seller, seller_id).products[0].id
    return {"odop_product_id": product, "title": "Red Banarasi silk saree",
            "description": "Pure silk, gold zari border.", "unit": "piece",
            "net_quantity": "1", "gst_rate": 5, "hsn_code": "5007",
            "price_paise": 1_250_000, "mrp_paise": 1_400_000, "stock": 3, **changes}


def stored(app, listing_id: int) -> tuple:
    """The Hindi title and description of the seller's version, as saved."""
    with app.app_context():
        content = db.session.get(Listing, listing_id).working_content
        return content.title_hi, content.description_hi


def approve(app, listing_id: int) -> None:
    with app.test_request_context():
        listing = db.session.get(Listing, listing_id)
        catalogue.add_photos(listing.seller, listing,
                             [catalogue.PhotoUpload("a.jpg", make_jpeg())])
        catalogue.submit_listing(listing.seller, listing)
        staff = db.session.scalar(select(User).where(User.role == Role.STAFF))
        catalogue.approve_listing(listing, staff)


def test_a_hindi_title_sent_by_the_app_is_saved_edited_and_reaches_hindi_buyers(app, seller):
    seller_id, token = seller
    client = app.test_client()
    created = client.post(LISTINGS, headers=token, json=new_listing(
        app, seller_id, title_hi=f"  {HINDI_TITLE} ", description_hi=HINDI_DESCRIPTION))
    assert created.status_code == 201, created.get_json()
    listing_id = created.get_json()["id"]
    assert created.get_json()["working"]["title_hi"] == HINDI_TITLE  # trimmed, as the form does
    read = client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()["working"]
    assert (read["title_hi"], read["description_hi"]) == (HINDI_TITLE, HINDI_DESCRIPTION)

    edited = client.patch(f"{LISTINGS}/{listing_id}", headers=token,
                          json={"title_hi": "लाल बनारसी साड़ी"})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["working"]["title_hi"] == "लाल बनारसी साड़ी"
    assert edited.get_json()["working"]["description_hi"] == HINDI_DESCRIPTION  # left out: kept
    assert stored(app, listing_id) == ("लाल बनारसी साड़ी", HINDI_DESCRIPTION)

    approve(app, listing_id)
    buyer = app.test_client().get(f"/api/v1/listings/{listing_id}",
                                  headers={"Accept-Language": "hi"}).get_json()
    assert (buyer["title_hi"], buyer["description_hi"]) == ("लाल बनारसी साड़ी", HINDI_DESCRIPTION)
    assert buyer["title"] == "Red Banarasi silk saree"
    found = app.test_client().get("/api/v1/listings", headers={"Accept-Language": "hi"})
    assert [item["title_hi"] for item in found.get_json()["items"]] == ["लाल बनारसी साड़ी"]


@pytest.mark.parametrize("cleared", [None, ""])
def test_null_or_empty_clears_the_hindi_title_and_description(app, seller, cleared):
    seller_id, token = seller
    client = app.test_client()
    listing_id = client.post(LISTINGS, headers=token, json=new_listing(
        app, seller_id, title_hi=HINDI_TITLE, description_hi=HINDI_DESCRIPTION)).get_json()["id"]
    edited = client.patch(f"{LISTINGS}/{listing_id}", headers=token,
                          json={"title_hi": cleared, "description_hi": cleared})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["working"]["title_hi"] is None
    assert edited.get_json()["working"]["description_hi"] is None
    assert stored(app, listing_id) == (None, None)


def test_too_long_hindi_answers_are_422_naming_the_field_and_nothing_is_saved(app, seller):
    seller_id, token = seller
    client = app.test_client()
    refused = client.post(LISTINGS, headers=token, json=new_listing(
        app, seller_id, title_hi="क" * 121, description_hi="ख" * 5001))
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["errors"] == {"title_hi": ["Use at most 120 characters."],
                                            "description_hi": ["Use at most 5000 characters."]}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Listing)) == 0

    listing_id = client.post(LISTINGS, headers=token, json=new_listing(
        app, seller_id, title_hi=HINDI_TITLE)).get_json()["id"]
    refused = client.patch(f"{LISTINGS}/{listing_id}", headers={**token, "Accept-Language": "hi"},
                           json={"title_hi": "क" * 121, "title": "Another title"})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["title_hi"]
    assert refused.get_json()["errors"]["title_hi"] == ["ज़्यादा से ज़्यादा 120 अक्षर इस्तेमाल करें।"]
    assert stored(app, listing_id) == (HINDI_TITLE, None)
    title = client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()["working"]["title"]
    assert title == "Red Banarasi silk saree"  # the English title sent beside it is not saved


def test_the_api_documents_the_hindi_answers(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for name in ("NewListingInput", "ListingChanges"):
        assert {"title_hi", "description_hi"} <= set(schemas[name]["properties"]), name
        assert "120" in schemas[name]["properties"]["title_hi"]["description"]
