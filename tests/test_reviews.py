"""Ratings and reviews: only a buyer who received the item reviews it, once per order line; the
seller replies once; staff hide only with a reason code, which the audit log keeps; the product
page shows the average, the count, the bars and the reviews; cached pages follow."""

import re

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import OrderItem, Review, ReviewReport, Role, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.shop import ShopListing
from odop_bazaar.services.returns import requests as return_requests
from odop_bazaar.services.reviews import queries
from tests.conftest import submit
from tests.factories import make_jpeg, make_user
from tests.review_helpers import bought, client_of, review_page, write


@pytest.fixture
def sale(app):
    return bought(app)


def reviews_of(app, line_id) -> list[Review]:
    with app.app_context():
        return list(db.session.scalars(select(Review).where(Review.order_item_id == line_id)))


def product_html(client, listing_id, **params) -> str:
    response = client.get(f"/products/{listing_id}", query_string=params, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_buyer_reviews_a_delivered_item_from_the_order_page(app, sale):
    buyer, saree = sale["buyer"], sale["saree"]
    orders = buyer.get("/orders").get_data(as_text=True)
    reference = re.search(r'href="/orders/(ODB-[A-Z0-9]+)"', orders).group(1)
    order_page = buyer.get(f"/orders/{reference}").get_data(as_text=True)
    assert review_page(saree["line"]) in order_page  # delivered: "Write a review"
    assert review_page(sale["stole"]["line"]) not in order_page  # not delivered yet
    response = write(buyer, saree["line"], rating="4", text="अच्छी साड़ी, good weave")
    assert response.status_code == 303
    [review] = reviews_of(app, saree["line"])
    assert (review.rating, review.text, review.status) == (4, "अच्छी साड़ी, good weave",
                                                            "published")
    html = product_html(app.test_client(), saree["listing"])
    assert "अच्छी साड़ी, good weave" in html and "Verified purchase" in html
    assert "4.0 out of 5" in html


def test_refused_before_delivery_and_for_another_buyers_order(app, sale):
    buyer = sale["buyer"]
    response = write(buyer, sale["stole"]["line"])
    assert response.status_code == 422
    assert "once it has been delivered" in response.get_data(as_text=True)
    assert reviews_of(app, sale["stole"]["line"]) == []
    stranger = client_of(app, make_user(app, Role.BUYER))
    assert stranger.get(review_page(sale["saree"]["line"])).status_code == 404
    assert write(stranger, sale["saree"]["line"], token_from="/account").status_code == 404
    assert reviews_of(app, sale["saree"]["line"]) == []


def give_back(app, sale, resolution: str) -> None:
    """The buyer asks to return the delivered saree, for a refund (to their UPI id) or an
    exchange."""
    with app.test_request_context():
        line = db.session.get(OrderItem, sale["saree"]["line"])
        buyer = db.session.scalar(select(User).where(User.email == sale["buyer_email"]))
        asked = return_requests.ReturnAsk(
            quantities={line.id: 1}, reason="defective", resolution=resolution,
            payee_name="Asha Verma", upi_id="asha.verma@okhdfc")
        return_requests.request_return(line.order, buyer, asked)


def test_refused_after_every_unit_was_returned_for_a_refund(app, sale):
    buyer, line = sale["buyer"], sale["saree"]["line"]
    give_back(app, sale, "refund")
    response = write(buyer, line)
    assert response.status_code == 422
    assert "You returned this item" in response.get_data(as_text=True)
    assert reviews_of(app, line) == []
    orders = buyer.get("/orders").get_data(as_text=True)
    reference = re.search(r'href="/orders/(ODB-[A-Z0-9]+)"', orders).group(1)
    assert review_page(line) not in buyer.get(f"/orders/{reference}").get_data(as_text=True)


def test_an_exchanged_item_can_still_be_reviewed(app, sale):
    give_back(app, sale, "exchange")
    assert write(sale["buyer"], sale["saree"]["line"]).status_code == 303
    assert len(reviews_of(app, sale["saree"]["line"])) == 1


def test_once_per_order_line(app, sale):
    buyer, line = sale["buyer"], sale["saree"]["line"]
    assert write(buyer, line).status_code == 303
    second = write(buyer, line, rating="1", token_from="/account")
    assert second.status_code == 422
    assert len(reviews_of(app, line)) == 1


@pytest.mark.parametrize("rating", ["0", "6", "", "five"])
def test_a_rating_outside_one_to_five_is_refused_beside_the_field_keeping_the_text(
        app, sale, rating):
    response = write(sale["buyer"], sale["saree"]["line"], rating=rating, text="Kept text")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="rating-error">[^<]*Choose a rating from 1 to 5', html)
    assert "Kept text" in html
    assert reviews_of(app, sale["saree"]["line"]) == []


def test_over_long_text_is_refused_beside_the_field_keeping_it(app, sale):
    text = "बहुत " * 500  # 2,500 characters
    response = write(sale["buyer"], sale["saree"]["line"], text=text)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="text-error">\s*<span[^>]*>[^<]*</span>\s*Write at most 2000', html)
    assert text.strip() in html
    assert reviews_of(app, sale["saree"]["line"]) == []


def test_more_than_three_photos_are_refused_and_up_to_three_are_kept(app, sale):
    buyer, line = sale["buyer"], sale["saree"]["line"]

    def photos(n):
        return [(__import__("io").BytesIO(make_jpeg(gps=True)), f"p{i}.jpg") for i in range(n)]

    response = write(buyer, line, photos=photos(4))
    assert response.status_code == 422
    assert "Add at most 3 photos" in response.get_data(as_text=True)
    assert reviews_of(app, line) == []
    assert write(buyer, line, photos=photos(2), token_from="/account").status_code == 303
    [review] = reviews_of(app, line)
    with app.app_context():
        photo = db.session.get(Review, review.id).photos[0]
        assert len(db.session.get(Review, review.id).photos) == 2
        key = photo.key(320, "jpg")
    # Served to anyone while the review is published, without the camera's GPS position.
    served = app.test_client().get(f"/media/{key}")
    assert served.status_code == 200
    from PIL import Image
    assert not Image.open(__import__("io").BytesIO(served.data)).getexif()


def test_the_seller_replies_once_and_another_seller_cannot(app, sale):
    write(sale["buyer"], sale["saree"]["line"], rating="2", text="Colour faded")
    [review] = reviews_of(app, sale["saree"]["line"])
    path = f"/seller/reviews/{review.id}/reply"
    other = client_of(app, sale["stole"]["seller_email"])
    assert submit(other, path, {f"r{review.id}-text": "Not mine"},
                  token_from="/seller/reviews").status_code == 404
    seller = client_of(app, sale["saree"]["seller_email"])
    assert "Colour faded" in seller.get("/seller/reviews").get_data(as_text=True)
    assert submit(seller, path, {f"r{review.id}-text": "Sorry: we will replace it."},
                  token_from="/seller/reviews").status_code == 303
    again = submit(seller, path, {f"r{review.id}-text": "Second reply"},
                   token_from="/seller/reviews")
    assert again.status_code == 422
    assert "replied to this review already" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Review, review.id).reply_text == "Sorry: we will replace it."
    html = product_html(app.test_client(), sale["saree"]["listing"])
    assert "Sorry: we will replace it." in html and "Second reply" not in html


def test_anyone_signed_in_reports_once(app, sale):
    write(sale["buyer"], sale["saree"]["line"], rating="1", text="Call me on 98765 43210")
    [review] = reviews_of(app, sale["saree"]["line"])
    path = f"/reviews/{review.id}/report"
    assert app.test_client().get(path).status_code == 302  # to sign in
    someone = client_of(app, make_user(app, Role.BUYER))
    assert submit(someone, path, {"reason": "personal_data"}).status_code == 303
    again = submit(someone, path, {"reason": "abuse"})
    assert again.status_code == 422 and "reported this review already" in again.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReviewReport)) == 1


def test_a_hidden_reviews_reason_is_audited_and_it_leaves_the_page_while_a_negative_stays(
        app, sale, staff_client):
    saree = sale["saree"]
    write(sale["buyer"], saree["line"], rating="1", text="Terrible, the colour ran")
    [review] = reviews_of(app, saree["line"])
    other = bought_again(app, sale)
    assert write(other, saree["line2"], rating="5", text="Ring 98765 43210 for a deal"
                 ).status_code == 303
    [spam] = reviews_of(app, saree["line2"])
    page = product_html(app.test_client(), saree["listing"])
    assert "Ring 98765 43210" in page and "Terrible, the colour ran" in page
    refused = submit(staff_client, f"/staff/reviews/{spam.id}/hide", {"reason": ""},
                     token_from="/staff/reviews", follow_redirects=True)
    assert "never hidden for being negative" in refused.get_data(as_text=True)
    assert submit(staff_client, f"/staff/reviews/{spam.id}/hide",
                  {"reason": "personal_data", "note": "phone number"},
                  token_from="/staff/reviews").status_code == 303
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "review", AuditEntry.object_id == spam.id,
            AuditEntry.to_status == "hidden")).one()
        assert "personal_data" in entry.note and "phone number" in entry.note
        assert db.session.get(ShopListing, saree["listing"]).rating_count == 1
    page = product_html(app.test_client(), saree["listing"])
    assert "Ring 98765 43210" not in page
    assert "Terrible, the colour ran" in page and "1.0 out of 5" in page


def test_the_product_page_shows_average_count_and_bars_and_cards_the_average(app, sale):
    saree = sale["saree"]
    write(sale["buyer"], saree["line"], rating="5", text="Fine")
    other = bought_again(app, sale)
    write(other, saree["line2"], rating="2", text="So-so")
    html = product_html(app.test_client(), saree["listing"])
    assert "3.5 out of 5" in html and "from 2 ratings" in html
    bars = re.findall(r'class="rating-bar-fill" width="(\d+)"', html)
    assert bars == ["50", "0", "0", "50", "0"]  # 5, 4, 3, 2 and 1 stars
    assert html.index("So-so") < html.index("Fine")  # newest first
    with app.app_context():
        from odop_bazaar.models import Listing
        district = db.session.get(Listing, saree["listing"]).seller.district_lgd_code
    cards = app.test_client().get(f"/districts/{district}").get_data(as_text=True)
    assert "3.5 out of 5" in cards and "(2 ratings)" in cards


def test_reviews_are_paged_newest_first(app, sale, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 1)
    saree = sale["saree"]
    write(sale["buyer"], saree["line"], rating="5", text="Older one")
    other = bought_again(app, sale)
    write(other, saree["line2"], rating="4", text="Newer one")
    client = app.test_client()
    first, second = product_html(client, saree["listing"]), product_html(
        client, saree["listing"], page=2)
    assert "Newer one" in first and "Older one" not in first and "Page 1 of 2" in first
    assert "Older one" in second and "Newer one" not in second
    assert client.get(f"/products/{saree['listing']}?page=3",
                      follow_redirects=True).status_code == 404


def test_the_seller_page_shows_the_rating_and_changes_with_a_new_review(app, sale):
    client = app.test_client()
    seller_page = f"/sellers/{sale['saree']['seller']}"
    assert "No ratings yet." in client.get(seller_page, follow_redirects=True).get_data(
        as_text=True)
    write(sale["buyer"], sale["saree"]["line"], rating="4")
    html = client.get(seller_page, follow_redirects=True).get_data(as_text=True)
    assert "4.0 out of 5" in html and "from 1 rating" in html


def bought_again(app, sale) -> object:
    """A second buyer who bought and received the saree too; their line is sale['saree']['line2']."""
    from tests.checkout_helpers import add, place
    from tests.review_helpers import deliver

    email = make_user(app, Role.BUYER)
    client = client_of(app, email)
    add(client, sale["saree"]["listing"])
    assert place(client).status_code == 303
    with app.app_context():
        from odop_bazaar.models import Order, OrderItem
        line = db.session.scalars(select(OrderItem).where(
            OrderItem.listing_id == sale["saree"]["listing"]).order_by(OrderItem.id.desc())).first()
        order_id = db.session.get(Order, line.order_id).id
    deliver(app, sale["saree"]["seller_email"], order_id)
    sale["saree"]["line2"] = line.id
    return client


@pytest.fixture
def staff_client(app):
    from tests.factories import make_reviewer
    return client_of(app, make_reviewer(app, all_india=True))


def test_a_review_of_a_sold_out_listing_still_changes_its_cached_seller_and_product_pages(
        app, sale):
    from odop_bazaar.models import Listing
    from odop_bazaar.models.shop import ShopChange
    from odop_bazaar.services.catalogue import listings

    saree = sale["saree"]
    with app.test_request_context():
        item = db.session.get(Listing, saree["listing"])
        listings.update_price_and_stock(item.seller, item, {"price": "100", "mrp": "120",
                                                            "stock": "0"})
        assert not db.session.get(ShopListing, saree["listing"]).for_sale  # off the lists
    client = app.test_client()
    seller_page = f"/sellers/{saree['seller']}"
    assert "No ratings yet." in client.get(seller_page, follow_redirects=True).get_data(
        as_text=True)  # cached now
    assert write(sale["buyer"], saree["line"], rating="4").status_code == 303
    with app.app_context():
        topics = db.session.scalars(select(ShopChange.topics).order_by(
            ShopChange.id.desc())).first().split()
    assert {f"seller:{saree['seller']}", f"listing:{saree['listing']}"} <= set(topics)
    html = client.get(seller_page, follow_redirects=True).get_data(as_text=True)
    assert "4.0 out of 5" in html and "from 1 rating" in html


def test_the_staff_queue_shows_reported_reviews_first_and_only_in_their_places(
        app, sale, staff_client):
    from tests.factories import make_reviewer

    write(sale["buyer"], sale["saree"]["line"], rating="5", text="First, not reported")
    other = bought_again(app, sale)
    write(other, sale["saree"]["line2"], rating="3", text="Second, reported")
    [reported] = reviews_of(app, sale["saree"]["line2"])
    someone = client_of(app, make_user(app, Role.BUYER))
    assert submit(someone, f"/reviews/{reported.id}/report",
                  {"reason": "off_topic"}).status_code == 303
    queue = staff_client.get("/staff/reviews").get_data(as_text=True)
    assert queue.index("Second, reported") < queue.index("First, not reported")
    assert "1 open report" in queue
    # Kept: its report is closed and the audit log says so.
    assert submit(staff_client, f"/staff/reviews/{reported.id}/keep", {},
                  token_from="/staff/reviews").status_code == 303
    assert "open report" not in staff_client.get("/staff/reviews").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_id == reported.id, AuditEntry.action == "kept")) == 1
    goa = client_of(app, make_reviewer(app, states=(30,)))
    assert "Second, reported" not in goa.get("/staff/reviews").get_data(as_text=True)
    assert submit(goa, f"/staff/reviews/{reported.id}/hide", {"reason": "abuse"},
                  token_from="/staff/reviews").status_code == 404
