"""A seller's listings through the API: the checklist, create, edit, photos, submit, and what
a phone on a flaky network may send twice."""

import io

import pytest
import requests
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Role, Seller, User
from odop_bazaar.services import catalogue
from odop_bazaar.services.accounts import api_tokens
from odop_bazaar.services.accounts.staff_scope import scope_of
from tests.conftest import log_in, submit
from tests.factories import listing as live_listing
from tests.factories import make_jpeg, make_places, make_seller, make_user
from tests.live import at_once, serve

LISTINGS = "/api/v1/seller/listings"


def token_for(app, email: str, scopes=("read", "seller:write")) -> dict:
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == email))
        secret = api_tokens.create_token(user, name="Phone", scopes=list(scopes),
                                         expires_in_days=30).secret
    return {"Authorization": f"Bearer {secret}"}


def product_of(app, seller_id: int) -> int:
    with app.app_context():
        return db.session.get(Seller, seller_id).products[0].id


def new_listing(app, seller_id: int, **changes) -> dict:
    return {"odop_product_id": product_of(app, seller_id), "title": "Red Banarasi silk saree",
            "description": "Pure silk, gold zari border.", "unit": "piece",
            "net_quantity": "1", "gst_rate": 5, "hsn_code": "5007",
            "price_paise": 1_250_000, "mrp_paise": 1_400_000, "stock": 3, **changes}


def listing_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Listing))


def photos_body(*files):
    return {"photos": [(io.BytesIO(data), name) for name, data in files]}


@pytest.fixture
def seller(app):
    """An approved seller's id and a token with read and seller:write."""
    make_places(app)
    email, seller_id = make_seller(app, "approved")
    make_user(app, Role.STAFF)  # all India
    return seller_id, token_for(app, email)


def test_a_seller_lists_a_product_and_staff_find_it_in_their_queue(app, seller):
    seller_id, token = seller
    client = app.test_client()
    created = client.post(LISTINGS, json=new_listing(app, seller_id), headers=token)
    assert created.status_code == 201, created.get_json()
    listing_id = created.get_json()["id"]
    assert created.headers["Location"].endswith(f"{LISTINGS}/{listing_id}")
    assert created.get_json()["status"] == "draft"
    assert created.get_json()["submission_problems"] == ["Add at least one photo."]

    # Content with price and stock in one request.
    edited = client.patch(f"{LISTINGS}/{listing_id}", headers=token, json={
        "title": "Red Banarasi saree", "price_paise": 1_200_000, "stock": 5})
    assert edited.status_code == 200, edited.get_json()
    body = edited.get_json()
    assert (body["working"]["title"], body["price_paise"], body["stock"]) == (
        "Red Banarasi saree", 1_200_000, 5)
    assert body["working"]["hsn_code"] == "5007"  # answers left out stay

    added = client.post(f"{LISTINGS}/{listing_id}/photos", headers=token,
                        data=photos_body(("front.jpg", make_jpeg(1200, 900))))
    assert added.status_code == 201, added.get_json()
    [photo] = added.get_json()["photos"]
    assert photo["status"] == "ready" and photo["sizes"]  # processed in-process in tests
    # A full address an app can fetch (its seller may see a draft's photo).
    assert photo["sizes"][0]["url"].startswith("http://localhost/media/photos/")

    submitted = client.post(f"{LISTINGS}/{listing_id}/submit", headers=token)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "submitted"
    with app.test_request_context():
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        queue, _ = catalogue.review_queue(catalogue.ListingFilters(), scope_of(staff))
        assert [item.id for item in queue] == [listing_id]
        assert queue[0].working_content.title == "Red Banarasi saree"


def test_refused_answers_are_named_as_in_the_json_with_the_forms_words(app, seller):
    seller_id, token = seller
    response = app.test_client().post(LISTINGS, headers=token, json=new_listing(
        app, seller_id, title="  ", price_paise=1_500_000, gst_rate=7, net_quantity="lots",
        stock=-1, country_of_origin="x" * 61))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {
        "title": ["Give the listing a title."],
        "price_paise": ["The price cannot be more than the MRP."],
        "gst_rate": ["Choose the GST rate: 0, 5, 12, 18 or 28 %."],
        "net_quantity": ["Enter the quantity as a number, like 1, 500 or 1.5."],
        "stock": ["Enter how many you have, from 0 to 10,00,000."],
        "country_of_origin": ["Use at most 60 characters."],
    }
    in_hindi = app.test_client().post(LISTINGS, json=new_listing(app, seller_id, title=""),
                                      headers={**token, "Accept-Language": "hi"})
    assert in_hindi.get_json()["errors"] == {"title": ["लिस्टिंग का शीर्षक लिखें।"]}
    missing = app.test_client().post(LISTINGS, headers=token, json={})
    assert {"title", "price_paise", "mrp_paise", "odop_product_id"} <= set(
        missing.get_json()["errors"])
    assert listing_count(app) == 0


def test_a_refused_price_saves_none_of_the_content_sent_with_it(app, seller):
    seller_id, token = seller
    client = app.test_client()
    listing_id = client.post(LISTINGS, json=new_listing(app, seller_id),
                             headers=token).get_json()["id"]
    response = client.patch(f"{LISTINGS}/{listing_id}", headers=token,
                            json={"title": "Changed", "mrp_paise": 0})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"mrp_paise": ["The amount must be more than zero."]}
    shown = client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()
    assert (shown["working"]["title"], shown["mrp_paise"]) == ("Red Banarasi silk saree",
                                                              1_400_000)


def test_an_edit_of_a_live_listing_waits_for_review_and_none_while_it_is_reviewed(app, seller):
    seller_id, token = seller
    client = app.test_client()
    listing_id = live_listing(app, seller_id, "Silk stole", stock="4")
    edited = client.patch(f"{LISTINGS}/{listing_id}", headers=token,
                          json={"title": "Silk stole, red", "stock": 6, "stock_seen": 4})
    body = edited.get_json()
    assert (body["working"]["title"], body["live"]["title"]) == ("Silk stole, red", "Silk stole")
    assert body["has_unreviewed_changes"] and body["stock"] == 6
    with app.app_context():
        assert catalogue.buyer_view(listing_id)[1].title == "Silk stole"

    # A sale since the app last looked: the old figure would undo it.
    stale = client.patch(f"{LISTINGS}/{listing_id}", headers=token,
                         json={"stock": 2, "stock_seen": 4})
    assert stale.status_code == 422
    assert stale.get_json()["errors"] == {"stock": [
        "The stock changed to 6 since you opened this page. Check it and save again."]}

    assert client.post(f"{LISTINGS}/{listing_id}/submit", headers=token).status_code == 200
    locked = client.patch(f"{LISTINGS}/{listing_id}", headers=token, json={"title": "Other"})
    assert locked.status_code == 409
    assert "waiting for review" in locked.get_json()["detail"]
    price_only = client.patch(f"{LISTINGS}/{listing_id}", headers=token, json={"stock": 1})
    assert (price_only.status_code, price_only.get_json()["stock"]) == (200, 1)


def test_a_create_sent_twice_with_one_key_makes_one_listing(app, seller):
    seller_id, token = seller
    client = app.test_client()
    headers = {**token, "Idempotency-Key": "9a0c6f3e-create-1"}
    first = client.post(LISTINGS, json=new_listing(app, seller_id), headers=headers)
    again = client.post(LISTINGS, json=new_listing(app, seller_id), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert listing_count(app) == 1

    other = client.post(LISTINGS, json=new_listing(app, seller_id, title="Another"),
                        headers=headers)
    assert other.status_code == 422
    assert "different request" in other.get_json()["detail"]
    assert listing_count(app) == 1


def test_photos_sent_again_with_their_key_are_added_once(app, seller):
    seller_id, token = seller
    client = app.test_client()
    listing_id = client.post(LISTINGS, json=new_listing(app, seller_id),
                             headers=token).get_json()["id"]
    headers = {**token, "Idempotency-Key": "photos-1"}
    photo = make_jpeg(900, 700)
    # Each send has its own multipart boundary, as a phone's retry would.
    first, again = (client.post(f"{LISTINGS}/{listing_id}/photos", headers=headers,
                                data=photos_body(("front.jpg", photo))) for _ in range(2))
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    other = client.post(f"{LISTINGS}/{listing_id}/photos", headers=headers,
                        data=photos_body(("front.jpg", make_jpeg(700, 900))))
    assert other.status_code == 422
    shown = client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()
    assert len(shown["working"]["photos"]) == 1


def test_two_creates_at_once_with_one_key_make_one_listing(app, seller):
    seller_id, token = seller
    headers = {**token, "Idempotency-Key": "same-key-twice"}
    body = new_listing(app, seller_id)
    with serve(app) as base:
        answers = at_once([lambda: requests.post(base + LISTINGS, json=body, headers=headers,
                                                 timeout=60)] * 2)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    got = sorted((answer.status_code, answer.headers.get("Idempotent-Replayed"))
                 for answer in answers)
    assert got in ([(201, None), (201, "true")], [(201, None), (409, None)]), got
    created = next(answer for answer in answers if answer.status_code == 201)
    assert all(answer.json() == created.json() for answer in answers
               if answer.status_code == 201)
    assert listing_count(app) == 1


def test_a_photo_too_big_or_not_a_photo_is_refused_as_the_page_refuses_it(app, seller):
    seller_id, token = seller
    client = app.test_client()
    listing_id = client.post(LISTINGS, json=new_listing(app, seller_id),
                             headers=token).get_json()["id"]
    app.config["PHOTO_MAX_BYTES"] = 20_000
    too_big = client.post(f"{LISTINGS}/{listing_id}/photos", headers=token,
                          data=photos_body(("big.jpg", make_jpeg(1600, 1200))))
    not_photo = client.post(f"{LISTINGS}/{listing_id}/photos", headers=token,
                            data=photos_body(("notes.txt", b"just some text")))
    assert (too_big.status_code, not_photo.status_code) == (422, 422)
    assert too_big.get_json()["errors"] == {
        "photos": ["big.jpg: The photo is larger than 0 MB. Choose a smaller one."]}
    [message] = not_photo.get_json()["errors"]["photos"]
    assert message == "notes.txt: This is not a JPEG, PNG, WebP or HEIC photo."

    page = app.test_client()
    with app.app_context():
        log_in(page, db.session.get(Seller, seller_id).user.email)
    shown = submit(page, f"/seller/listings/{listing_id}/photos",
                   photos_body(("notes.txt", b"just some text")),
                   token_from=f"/seller/listings/{listing_id}")
    assert message in shown.get_data(as_text=True)
    assert client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()["working"][
        "photos"] == []


def test_a_photo_that_fails_in_the_background_says_why(app, seller):
    seller_id, token = seller
    client = app.test_client()
    listing_id = client.post(LISTINGS, json=new_listing(app, seller_id),
                             headers=token).get_json()["id"]
    truncated = make_jpeg(800, 600)[:3000]  # its header is fine: only decoding finds it broken
    added = client.post(f"{LISTINGS}/{listing_id}/photos", headers=token,
                        data=photos_body(("cut.jpg", truncated)))
    assert added.status_code == 201
    [photo] = client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()["working"][
        "photos"]
    assert (photo["status"], photo["failure"], photo["sizes"]) == ("failed", "damaged", [])
    assert photo["reason"] == ("It could not be read as an image: the file is damaged or "
                               "incomplete.")
    refused = client.post(f"{LISTINGS}/{listing_id}/submit", headers=token)
    assert refused.status_code == 409
    assert refused.get_json()["detail"] == "Remove the photos that could not be used."


def test_a_status_change_the_listing_is_not_ready_for_is_a_conflict(app, seller):
    seller_id, token = seller
    client = app.test_client()
    listing_id = client.post(LISTINGS, json=new_listing(app, seller_id),
                             headers=token).get_json()["id"]
    unpublish = client.post(f"{LISTINGS}/{listing_id}/unpublish", headers=token)
    assert unpublish.status_code == 409
    assert unpublish.mimetype == "application/problem+json"
    early = client.post(f"{LISTINGS}/{listing_id}/submit", headers=token)
    assert early.status_code == 409
    assert early.get_json()["detail"] == "Add at least one photo."
    assert client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()["status"] == "draft"


def test_a_photo_is_removed_and_another_listings_photo_is_not_found(app, seller):
    seller_id, token = seller
    client = app.test_client()
    listing_id = client.post(LISTINGS, json=new_listing(app, seller_id),
                             headers=token).get_json()["id"]
    photos = client.post(f"{LISTINGS}/{listing_id}/photos", headers=token, data=photos_body(
        ("a.jpg", make_jpeg(800, 600)), ("b.jpg", make_jpeg(600, 800)))).get_json()["photos"]
    first, second = (photo["id"] for photo in photos)
    assert client.delete(f"{LISTINGS}/{listing_id}/photos/{first}",
                         headers=token).status_code == 204
    shown = client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()
    assert [photo["id"] for photo in shown["working"]["photos"]] == [second]
    assert client.delete(f"{LISTINGS}/{listing_id}/photos/{first}",
                         headers=token).status_code == 404


def test_a_token_without_seller_write_reads_but_does_not_change(app, seller):
    seller_id, token = seller
    client = app.test_client()
    listing_id = client.post(LISTINGS, json=new_listing(app, seller_id),
                             headers=token).get_json()["id"]
    with app.app_context():
        email = db.session.get(Seller, seller_id).user.email
    read_only = token_for(app, email, scopes=("read",))
    assert client.get(f"{LISTINGS}/{listing_id}", headers=read_only).status_code == 200
    refused = client.patch(f"{LISTINGS}/{listing_id}", headers=read_only, json={"stock": 9})
    assert refused.status_code == 403
    assert client.post(LISTINGS, json=new_listing(app, seller_id),
                       headers=read_only).status_code == 403
    assert client.get(f"{LISTINGS}/{listing_id}", headers=token).get_json()["stock"] == 3


def test_the_list_pages_newest_first_and_filters_by_status(app, seller):
    seller_id, token = seller
    client = app.test_client()
    ids = [client.post(LISTINGS, json=new_listing(app, seller_id, title=f"Saree {n}"),
                       headers=token).get_json()["id"] for n in range(3)]
    first = client.get(f"{LISTINGS}?limit=2", headers=token)
    assert [item["id"] for item in first.get_json()["items"]] == ids[:0:-1]
    assert 'rel="next"' in first.headers["Link"]
    rest = client.get(f"{LISTINGS}?limit=2&after={first.get_json()['next']}", headers=token)
    assert [item["id"] for item in rest.get_json()["items"]] == [ids[0]]
    assert rest.get_json()["next"] is None
    assert client.get(f"{LISTINGS}?status=submitted", headers=token).get_json()["items"] == []
    assert client.get(f"{LISTINGS}?after=bm9uc2Vuc2U", headers=token).status_code == 422
    assert client.get(f"{LISTINGS}?status=sold", headers=token).status_code == 422


def test_the_checklist_shows_each_section_and_what_is_still_to_do(app):
    make_places(app)
    email, _ = make_seller(app, "new")
    response = app.test_client().get("/api/v1/seller/checklist", headers=token_for(
        app, email, scopes=("read",)))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["seller_status"], body["can_publish"], body["done_count"]) == (
        "draft", False, 0)
    assert {section["status"] for section in body["sections"]} == {"not_started"}
    assert "business" in {section["key"] for section in body["sections"]}
    assert body["due"] and body["decision_note"] is None


def test_the_checklist_names_the_products_the_seller_may_list(app):
    make_places(app)
    email, seller_id = make_seller(app, "approved")
    body = app.test_client().get("/api/v1/seller/checklist", headers=token_for(
        app, email, scopes=("read",))).get_json()
    with app.app_context():
        registered = [(p.id, p.name) for p in db.session.get(Seller, seller_id).products]
    assert registered and [(p["id"], p["name"]) for p in body["products"]] == registered


def test_a_seller_not_yet_approved_cannot_create_a_listing(app):
    make_places(app)
    email, seller_id = make_seller(app, "complete")
    response = app.test_client().post(LISTINGS, json=new_listing(app, seller_id),
                                      headers=token_for(app, email))
    assert response.status_code == 409
    assert "once your seller application is approved" in response.get_json()["detail"]
    assert listing_count(app) == 0
