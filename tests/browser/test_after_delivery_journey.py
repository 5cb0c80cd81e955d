"""After delivery, on a phone: a buyer whose cash-on-delivery order of a saree (two units) and a
stole from one weaver was delivered returns one saree for a refund to a UPI id, sees the return
on the order page, opens a complaint about the order and reviews the stole, which then shows on
its product page as a verified purchase. The return form and the complaint pages once more in
Hindi (a second saree back, at a /hi/ address). Screenshots in English and Hindi at 360 px,
copied to /tmp/shots/after-delivery/ too, for a person to look at."""

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Order, Role
from tests.browser.conftest import click_through, flash, go_to, h1, log_in
from tests.checkout_helpers import place
from tests.factories import listing, make_places, make_seller, make_user
from tests.review_helpers import client_of, deliver

expect = pytest.importorskip("playwright.sync_api").expect

SAREE, STOLE = "Banarasi saree", "Silk stole"
DEVANAGARI = re.compile("[\u0900-\u097f]")
SHOTS_COPY = Path("/tmp/shots/after-delivery")


def delivered_order(app, origin: str) -> dict:
    """One weaver's saree (two units) and stole, bought cash on delivery and delivered by her on
    her orders page."""
    make_places(app)
    seller_email, seller_id = make_seller(app, "approved")
    saree = listing(app, seller_id, SAREE, stock="4")
    stole = listing(app, seller_id, STOLE, stock="4")
    buyer_email = make_user(app, Role.BUYER)
    buyer = client_of(app, buyer_email)
    for listing_id, quantity in ((saree, "2"), (stole, "1")):
        buyer.post(f"/cart/add/{listing_id}", data={"quantity": quantity},
                   headers={"Origin": origin})
    assert place(buyer).status_code == 303
    with app.app_context():
        order = db.session.scalar(select(Order))
        found = {"order": order.id, "reference": order.checkout.reference, "stole": stole,
                 "lines": {item.title: item.id for item in order.items}}
    assert len(found["lines"]) == 2
    deliver(app, seller_email, found["order"])
    return {**found, "buyer_email": buyer_email}


def line_of(page, title: str):
    """The line of the order page about one item."""
    return page.locator("section.order-card li").filter(has_text=title)


def test_a_buyer_returns_one_item_complains_and_reviews_the_other(live_server, start_journey):
    sale = delivered_order(live_server.app, live_server.url)
    journey = start_journey(live_server, "after-delivery")
    buyer = journey.page("buyer")
    log_in(buyer, sale["buyer_email"])
    go_to(buyer, "Your orders")
    click_through(buyer, buyer.get_by_role("link", name=sale["reference"]))
    expect(buyer.locator("section.order-card")).to_contain_text("Delivered")
    journey.shoot(buyer, "order-delivered")

    # One saree back, for a refund to a UPI id.
    click_through(buyer, buyer.get_by_role("link", name="Return items"))
    expect(h1(buyer)).to_have_text("Return items")
    journey.shoot(buyer, "return-form")
    buyer.get_by_label(f"How many “{SAREE}” (of 2)").fill("1")
    buyer.get_by_label("Different from the product page").check()
    buyer.get_by_label("A refund").check()
    buyer.get_by_label("Tell the seller more (optional)").fill("The zari is silver, not gold.")
    buyer.get_by_label("Account holder's name").fill("Asha Verma")
    buyer.get_by_label("Or a UPI id").fill("asha@oksbi")
    click_through(buyer, buyer.get_by_role("button", name="Ask for the return"))
    expect(flash(buyer)).to_contain_text("Your return is sent to the seller.")
    expect(h1(buyer)).to_have_text(re.compile(r"^Return R\d+$"))
    main = buyer.get_by_role("main")
    expect(main).to_contain_text(f"{SAREE} × 1")
    expect(main).to_contain_text("₹160.00 (with delivery)")  # a fault of the seller's
    expect(main).to_contain_text("Refund to Asha Verma, asXX@oksbi")  # masked
    expect(main).not_to_contain_text("asha@oksbi")
    journey.shoot(buyer, "return-sent")

    # The return on the order page.
    click_through(buyer, buyer.get_by_role("link", name="Back to the order"))
    expect(buyer.locator("section.order-card")).to_contain_text(
        re.compile(r"Return R\d+: Waiting for the seller"))
    journey.shoot(buyer, "order-with-return")

    # A complaint about the order: its ticket number at once.
    click_through(buyer, buyer.get_by_role("link", name="Open a complaint about this order"))
    expect(h1(buyer)).to_have_text("Open a complaint")
    journey.shoot(buyer, "complaint-form")
    buyer.get_by_label("What is the complaint about?").select_option(label="Different from the product page")
    buyer.get_by_label("What happened?").fill("The saree's zari is silver thread, not gold.")
    click_through(buyer, buyer.get_by_role("button", name="Open the complaint"))
    expect(flash(buyer)).to_contain_text(re.compile(r"Its ticket number is CMP-[\w-]+"))
    expect(h1(buyer)).to_have_text(re.compile(r"^Complaint CMP-[\w-]+$"))
    complaint_url = buyer.url
    journey.shoot(buyer, "complaint-open")

    # A review of the other item, the stole.
    buyer.goto(f"/orders/{sale['reference']}")
    expect(line_of(buyer, STOLE).get_by_role("link", name="Write a review")).to_have_count(1)
    click_through(buyer, line_of(buyer, STOLE).get_by_role("link", name="Write a review"))
    buyer.get_by_label("5 stars: excellent").check()
    buyer.get_by_label("Your review (optional, in any language)").fill(
        "मुलायम रेशम, सुंदर रंग। Soft silk, lovely colour.")
    click_through(buyer, buyer.get_by_role("button", name="Publish your review"))
    expect(flash(buyer)).to_contain_text("your review is published")
    buyer.goto(f"/products/{sale['stole']}")
    reviews = buyer.locator("#reviews")
    expect(reviews).to_contain_text("Verified purchase")
    expect(reviews).to_contain_text("मुलायम रेशम, सुंदर रंग। Soft silk, lovely colour.")
    expect(reviews).to_contain_text("5.0 out of 5")
    reviews.scroll_into_view_if_needed()
    journey.shoot(buyer, "product-review")

    in_hindi(journey, buyer, sale, complaint_url)
    journey.finish()
    SHOTS_COPY.mkdir(parents=True, exist_ok=True)
    for shot in journey.folder.glob("*.png"):
        shutil.copy(shot, SHOTS_COPY / shot.name)


def in_hindi(journey, buyer, sale: dict, complaint_url: str) -> None:
    """The other saree back through the Hindi return form, and the complaint pages in Hindi."""
    buyer.goto(f"/hi/orders/{sale['reference']}/{sale['order']}/return")
    expect(buyer.locator("html")).to_have_attribute("lang", "hi")
    expect(h1(buyer)).to_have_text(DEVANAGARI)
    expect(buyer.get_by_role("main")).to_contain_text("आप इसे क्यों लौटा रहे हैं?")
    journey.check_width(buyer, "return form in Hindi")
    buyer.locator(f"#qty_{sale['lines'][SAREE]}").fill("1")
    buyer.locator("input[name=reason][value=not_as_described]").check()
    buyer.locator("#payee_name").fill("आशा वर्मा")
    buyer.locator("#upi_id").fill("asha@okhdfc")
    click_through(buyer, buyer.locator("main form button[type=submit]"))
    expect(flash(buyer)).to_have_text(DEVANAGARI)
    expect(buyer.locator("html")).to_have_attribute("lang", "hi")
    expect(buyer.get_by_role("main")).not_to_contain_text("asha@okhdfc")
    expect(buyer.get_by_role("main")).to_contain_text("आशा वर्मा")
    # The delivery charge went back with the first saree: this one is the saree's price only.
    expect(buyer.locator("main .tag").first.locator("..")).to_contain_text("₹100.00")
    expect(buyer.locator("main .tag").first.locator("..")).not_to_contain_text("₹160.00")
    journey.check_width(buyer, "return sent, in Hindi")
    buyer.screenshot(path=str(journey.folder / "hi-return-sent.png"), full_page=True)

    buyer.goto(f"/hi/complaints/new?order={sale['order']}")
    expect(h1(buyer)).to_have_text(DEVANAGARI)
    journey.check_width(buyer, "complaint form in Hindi")
    buyer.goto(complaint_url.replace(journey.server.url, journey.server.url + "/hi"))
    expect(buyer.locator("html")).to_have_attribute("lang", "hi")
    expect(h1(buyer)).to_have_text(re.compile(r"CMP-"))
    expect(buyer.get_by_role("main")).to_contain_text(DEVANAGARI)
    journey.check_width(buyer, "complaint in Hindi")
    buyer.screenshot(path=str(journey.folder / "hi-complaint.png"), full_page=True)
