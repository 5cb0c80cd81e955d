"""Journeys 2 and 3, on a phone: a buyer finds a saree by searching in Hindi and by browsing
state and district, orders it with a second seller's brass lamp, and follows the orders; once
paying in cash on delivery (the seller ships one order), once by card through localstripe."""

import json
import re
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import (
    ADDRESS,
    LAMP,
    SAREE,
    click_through,
    flash,
    go_to,
    h1,
    log_in,
    order_reference,
    stock_the_shop,
)

expect = pytest.importorskip("playwright.sync_api").expect


def search(page, words: str) -> None:
    """Search from the page's search box, or from the Search page when it has none."""
    if not page.get_by_role("search").count():
        go_to(page, "Search")
    page.get_by_role("search").get_by_role("searchbox").fill(words)
    click_through(page, page.get_by_role("search").get_by_role("button", name="Search"))
    expect(h1(page)).to_have_text("Search")


def open_product(page, title: str) -> None:
    """Tap a product card's name."""
    click_through(page, page.locator(".product-card").get_by_role("heading", name=title,
                                                                  exact=True))
    expect(h1(page)).to_have_text(title)


def add_to_cart(page, title: str) -> None:
    open_product(page, title)
    click_through(page, page.get_by_role("button", name="Add to cart"))
    expect(flash(page)).to_contain_text("Added to your cart.")
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def fill_in_the_address(page, payment: str) -> None:
    page.get_by_label("Name of the person receiving it").fill(ADDRESS["name"])
    page.get_by_label("Mobile number").fill(ADDRESS["phone"])
    page.get_by_label("House, street or village").fill(ADDRESS["line1"])
    page.get_by_label("Town or city").fill(ADDRESS["city"])
    page.get_by_label("State", exact=True).select_option(label=ADDRESS["state"])
    page.get_by_label("PIN code").fill(ADDRESS["pin"])
    page.get_by_role("radio", name=payment).check()


def seller_order(page, title: str):
    """The part of the buyer's order page about one seller's order."""
    return page.locator("section.order-card").filter(has_text=title)


def test_a_buyer_finds_a_saree_in_hindi_orders_from_two_sellers_and_sees_one_shipped(
        live_server, start_journey):
    shop = stock_the_shop(live_server.app)
    journey = start_journey(live_server, "buyer-cod")
    buyer = journey.page("buyer")

    # Searching in Hindi, from the box on the home page.
    buyer.goto("/")
    journey.shoot(buyer, "home")
    search(buyer, "साड़ी")
    expect(buyer.get_by_role("heading", name="1 product for “साड़ी”")).to_be_visible()
    expect(buyer.locator(".product-card").get_by_role("heading", name=SAREE)).to_be_visible()
    journey.shoot(buyer, "search-hindi")

    # Browsing: home, then the state, then the district.
    go_to(buyer, "Home")
    click_through(buyer, buyer.get_by_role("link", name="Uttar Pradesh", exact=True))
    expect(h1(buyer)).to_have_text("Uttar Pradesh")
    click_through(buyer, buyer.get_by_role("link", name="Varanasi", exact=True))
    expect(h1(buyer)).to_contain_text("Varanasi")
    journey.shoot(buyer, "district")
    open_product(buyer, SAREE)
    expect(buyer.get_by_text("हाथ से बुनी लाल रेशमी साड़ी")).to_be_visible()
    journey.shoot(buyer, "product")
    click_through(buyer, buyer.get_by_role("button", name="Add to cart"))
    expect(flash(buyer)).to_contain_text("Added to your cart.")

    go_to(buyer, "Home")
    click_through(buyer, buyer.get_by_role("link", name="Uttar Pradesh", exact=True))
    click_through(buyer, buyer.get_by_role("link", name="Moradabad", exact=True))
    add_to_cart(buyer, LAMP)
    expect(buyer.get_by_role("heading", name=SAREE, exact=True)).to_be_visible()
    journey.shoot(buyer, "cart")

    # Checkout asks a visitor to log in; the cart comes along.
    click_through(buyer, buyer.get_by_role("link", name="Go to checkout"))
    expect(h1(buyer)).to_have_text("Log in")
    buyer.get_by_label("Email address").fill(shop.buyer)
    buyer.get_by_label("Password", exact=True).fill("correct-horse-battery")
    click_through(buyer, buyer.get_by_role("button", name="Log in"))
    expect(h1(buyer)).to_have_text("Checkout")
    journey.shoot(buyer, "checkout")
    fill_in_the_address(buyer, "Cash on delivery")
    click_through(buyer, buyer.get_by_role("button", name=re.compile("^Place the order")))
    expect(flash(buyer)).to_contain_text("Thank you: your order is placed. Pay in cash when it "
                                         "arrives.")
    reference = order_reference(buyer)
    expect(h1(buyer)).to_have_text(f"Order {reference}")
    expect(buyer.locator("section.order-card")).to_have_count(2)  # one per seller
    for title in (SAREE, LAMP):
        expect(seller_order(buyer, title)).to_contain_text("Confirmed (cash on delivery)")
    journey.shoot(buyer, "order-placed")
    go_to(buyer, "Your orders")
    expect(buyer.get_by_role("link", name=reference)).to_be_visible()
    expect(buyer.locator(".order-rows .tag")).to_have_text(["Confirmed (cash on delivery)"] * 2)

    # The weaver, on her phone, accepts, packs and ships her order.
    seller = journey.page("seller")
    log_in(seller, shop.saree_seller)
    go_to(seller, "Orders to send")
    expect(seller.locator(".order-rows > li")).to_have_count(1)  # only her own order
    expect(seller.get_by_text(f"{SAREE} × 1")).to_be_visible()
    for step, status in (("Accept the order", "Accepted by the seller"),
                         ("Mark as packed", "Packed")):
        click_through(seller, seller.get_by_role("button", name=step))
        expect(flash(seller)).to_contain_text(status)
    seller.get_by_label("Courier or postal service").fill("India Post")
    seller.get_by_label("Tracking number").fill("EE123456789IN")
    journey.check_width(seller, "seller orders, about to ship")
    click_through(seller, seller.get_by_role("button", name="Mark as shipped"))
    expect(flash(seller)).to_contain_text("Shipped")
    journey.shoot(seller, "seller-orders")

    # The buyer reloads her orders, and opens this one.
    buyer.reload()
    orders = buyer.locator(".order-rows li li")
    # Named by their shops, as the cart named them (the invoice keeps the legal names).
    expect(orders.filter(has_text="Meera's Looms")).to_contain_text("Shipped")
    expect(orders.filter(has_text="Rafiq Brassware")).to_contain_text(
        "Confirmed (cash on delivery)")
    click_through(buyer, buyer.get_by_role("link", name=reference))
    expect(seller_order(buyer, SAREE)).to_contain_text("Shipped")
    expect(seller_order(buyer, SAREE)).to_contain_text(
        "Sent with India Post, tracking number EE123456789IN")
    expect(seller_order(buyer, LAMP)).to_contain_text("Confirmed (cash on delivery)")
    journey.shoot(buyer, "order-shipped")

    journey.finish()


# --- Paying by card -----------------------------------------------------------------------------

CORS = {"Access-Control-Allow-Origin": "*"}


def localstripe(base: str, path: str, form: dict | None = None) -> dict:
    """Call localstripe's API with the secret key, as Stripe's own servers would act."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data,
                                     headers={"Authorization": "Bearer sk_test_odop"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.load(answer)


def stripe_confirms_with(base: str, card: dict):
    """A route handler for localstripe's /_authenticate call, which stands in for Stripe.

    localstripe's Stripe.js ignores the card element in confirmCardPayment and only knows how to
    finish 3-D Secure on an intent its server already confirmed; real Stripe.js sends the card to
    Stripe, which confirms the intent with it. So here, as Stripe would, the card typed into the
    element (and read from it) becomes the intent's payment method and the intent is confirmed,
    after checking the publishable key and the client secret the page sent.
    """
    def handle(route):
        intent_id = re.search(r"/payment_intents/(pi_\w+)/_authenticate", route.request.url)[1]
        sent = json.loads(route.request.post_data or "{}")
        intent = localstripe(base, f"/v1/payment_intents/{intent_id}")
        if sent.get("key") != "pk_test_odop" or sent.get("client_secret") != intent["client_secret"]:
            route.fulfill(status=401, json={"error": {"message": "Unauthorized"}}, headers=CORS)
            return
        method = localstripe(base, "/v1/payment_methods", {
            "type": "card", "card[number]": card["number"].replace(" ", ""),
            "card[exp_month]": card["exp_month"], "card[exp_year]": f"20{card['exp_year']}",
            "card[cvc]": card["cvc"]})
        localstripe(base, f"/v1/payment_intents/{intent_id}", {"payment_method": method["id"]})
        confirmed = localstripe(base, f"/v1/payment_intents/{intent_id}/confirm", {})
        route.fulfill(status=200, json=confirmed, headers=CORS)
    return handle


def test_a_buyer_pays_for_two_sellers_orders_by_card(card_live_server, stripe_server,
                                                     start_journey):
    shop = stock_the_shop(card_live_server.app)
    journey = start_journey(card_live_server, "buyer-card")
    buyer = journey.page("buyer")
    log_in(buyer, shop.buyer)

    search(buyer, "रेशमी")
    expect(buyer.get_by_role("heading", name="1 product for “रेशमी”")).to_be_visible()
    add_to_cart(buyer, SAREE)
    search(buyer, "दीया")
    add_to_cart(buyer, LAMP)
    click_through(buyer, buyer.get_by_role("link", name="Go to checkout"))
    expect(h1(buyer)).to_have_text("Checkout")
    fill_in_the_address(buyer, "Card (Stripe)")
    click_through(buyer, buyer.get_by_role("button", name=re.compile("^Place the order")))

    # The pay page, with localstripe's stand-in for Stripe's card element.
    expect(h1(buyer)).to_have_text("Pay by card")
    card_element = buyer.locator("#card-element")
    expect(card_element.get_by_role("textbox")).to_have_count(5)
    journey.shoot(buyer, "pay")
    card_element.get_by_placeholder("number").press_sequentially("4242424242424242")
    card_element.get_by_placeholder("exp_month").fill("12")
    card_element.get_by_placeholder("exp_year").fill("34")
    card_element.get_by_placeholder("cvc").fill("123")
    card_element.get_by_placeholder("postal_code").fill("221005")
    journey.check_width(buyer, "pay page, card typed")
    typed = {name: card_element.get_by_placeholder(name).input_value()
             for name in ("number", "exp_month", "exp_year", "cvc")}
    assert typed["number"] == "4242424242424242"
    buyer.route(re.compile(r"/v1/payment_intents/pi_\w+/_authenticate"),
                stripe_confirms_with(stripe_server, typed))

    buyer.get_by_role("button", name=re.compile("^Pay ₹")).click()
    with buyer.expect_navigation(url=re.compile(r"/orders/[^/]+$")):
        buyer.get_by_role("button", name="Complete authentication").click()
    expect(flash(buyer)).to_contain_text("Thank you: your payment is received and your order "
                                         "is placed.")
    expect(buyer.locator("section.order-card")).to_have_count(2)
    for title in (SAREE, LAMP):
        expect(seller_order(buyer, title).locator(".tag")).to_have_text("Paid")
    expect(buyer.get_by_text("Card (Stripe)")).to_be_visible()
    journey.shoot(buyer, "order-paid")

    journey.finish()
