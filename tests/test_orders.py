"""Cart, checkout and orders with cash on delivery: what buyers and sellers see, stock that is
never oversold, and refused orders that store nothing."""

import re
import threading

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Checkout, Listing, Order, Role, User
from odop_bazaar.services.orders import checkout as checkout_service
from tests.checkout_helpers import ADDRESS, add, checkout_page, fingerprint, place
from tests.conftest import SAME_ORIGIN, csrf_token, log_in, submit
from tests.factories import make_seller, make_user, shop


def refused_page(client, response) -> str:
    """The checkout page a refused order leads to (POST, then redirect, then GET: going back or
    reloading never sends the form again), with what was typed and the messages."""
    assert response.status_code == 303 and response.location.endswith("/checkout")
    page = client.get("/checkout")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def stock_of(app, listing_id) -> int:
    with app.app_context():
        return db.session.get(Listing, listing_id).stock


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_buyer_orders_from_two_sellers_with_cash_on_delivery(app, client, outbox):
    saree, stole, buyer = shop(app)
    log_in(client, buyer)
    assert add(client, saree, "2").status_code == 303
    assert add(client, stole).status_code == 303
    cart = client.get("/cart").get_data(as_text=True)
    assert "Banarasi saree" in cart and "Silk stole" in cart and "Go to checkout" in cart

    page = checkout_page(client)
    # 2 × ₹100 + ₹100 from two sellers; each seller order under ₹999 pays ₹60 delivery.
    assert "₹420.00" in page and "₹60.00" in page
    response = place(client)
    assert response.status_code == 303
    reference = response.headers["Location"].rsplit("/", 1)[1]
    order_page = client.get(f"/orders/{reference}").get_data(as_text=True)
    assert "Confirmed (cash on delivery)" in order_page
    assert order_page.count("Tax invoice") == 2

    with app.app_context():
        placed = db.session.scalar(select(Checkout))
        assert placed.total_paise == 42000 and len(placed.orders) == 2
        assert {o.total_paise for o in placed.orders} == {26000, 16000}
    assert stock_of(app, saree) == 1 and stock_of(app, stole) == 4
    assert "Your cart is empty" in client.get("/cart").get_data(as_text=True)
    recipients = [message["To"] for message in outbox]
    assert buyer in recipients and len(recipients) >= 3  # the buyer and both sellers


def test_a_visitor_cart_comes_along_when_they_log_in(app, client):
    saree, stole, buyer = shop(app)
    add(client, saree)
    assert "Banarasi saree" in client.get("/cart").get_data(as_text=True)
    assert client.get("/checkout").status_code == 302  # log in first
    log_in(client, buyer)
    add(client, saree)
    assert "₹100.00 × 2" in client.get("/cart").get_data(as_text=True)


def test_the_cart_refuses_more_than_is_in_stock(app, client):
    saree, _stole, buyer = shop(app, stock="2")
    log_in(client, buyer)
    response = add(client, saree, "3")
    assert response.status_code == 303
    assert "Only 2 can be bought now" in client.get("/cart").get_data(as_text=True)
    assert "Banarasi saree" not in client.get("/cart").get_data(as_text=True).split("<main")[1] \
        or "Your cart is empty" in client.get("/cart").get_data(as_text=True)
    for bad in ("0", "-1", "two", "१", "99999"):
        add(client, saree, bad)
    assert count(app, Checkout) == 0


def test_a_price_change_since_the_summary_stops_the_order_and_stores_nothing(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    seen = fingerprint(client)
    with app.test_request_context():
        item = db.session.get(Listing, saree)
        from odop_bazaar.services.catalogue import listings

        listings.update_price_and_stock(item.seller, item, {"price": "150", "mrp": "200",
                                                            "stock": "3"})
    response = submit(client, "/checkout", {**ADDRESS, "payment_method": "cod",
                                            "fingerprint": seen})
    page = refused_page(client, response)
    assert "changed since you looked" in page
    assert "₹210.00" in page  # the new total: ₹150 + ₹60
    assert count(app, Checkout) == 0 and count(app, Order) == 0
    assert stock_of(app, saree) == 3


def test_prices_sent_by_the_browser_are_ignored(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    response = place(client, price="1", total="1", total_paise="100", items_paise="1")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Checkout.total_paise)) == 16000


def test_a_bad_address_is_refused_with_every_answer_kept(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    page = refused_page(client, place(client, phone="12345", pin="400001", name=""))
    assert "12 Lanka Road" in page and "Varanasi" in page
    assert page.count('class="error-message"') >= 3
    assert count(app, Checkout) == 0 and stock_of(app, saree) == 3


def test_a_card_payment_where_cards_are_not_taken_is_a_message_not_an_error(app, client):
    # The test app takes no cards (no Stripe key); a tampered form asks for one anyway.
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    page = refused_page(client, place(client, payment_method="card"))
    assert "Card payment is not available" in page and "12 Lanka Road" in page
    assert count(app, Checkout) == 0 and stock_of(app, saree) == 3


def test_the_last_units_go_to_as_many_buyers_as_there_are_units(app):
    saree, _stole, _buyer = shop(app, stock="3")
    buyers = [make_user(app, Role.BUYER) for _ in range(8)]
    for email in buyers:  # each puts one in their cart while there is stock
        with app.test_request_context():
            from odop_bazaar.services.orders import cart

            user = db.session.scalar(select(User).where(User.email == email))
            cart.add(user, {}, saree, "1")

    outcomes, barrier = [], threading.Barrier(len(buyers))

    def buy(email):
        with app.test_request_context():
            user = db.session.scalar(select(User).where(User.email == email))
            summary = checkout_service.summarise(user, {})
            barrier.wait()
            try:
                checkout_service.place_order(user, {}, ADDRESS, "cod", summary.fingerprint)
                outcomes.append("ordered")
            except (checkout_service.OutOfStock, checkout_service.CartChanged) as error:
                outcomes.append(str(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=buy, args=(email,)) for email in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == len(buyers)
    assert outcomes.count("ordered") == 3
    refused = [outcome for outcome in outcomes if outcome != "ordered"]
    assert all("Nothing was ordered" in message or "changed since" in message
               for message in refused)
    assert stock_of(app, saree) == 0
    with app.app_context():
        sold = db.session.scalar(select(func.count()).select_from(Order))
    assert sold == 3


def test_a_failure_halfway_through_leaves_no_order_and_no_reservation(app, monkeypatch):
    saree, stole, buyer = shop(app)
    with app.test_request_context():
        from odop_bazaar.services.orders import cart

        user = db.session.scalar(select(User).where(User.email == buyer))
        cart.add(user, {}, saree, "2")
        cart.add(user, {}, stole, "1")
        summary = checkout_service.summarise(user, {})

        def broken(*args, **kwargs):
            raise RuntimeError("the disk filled up")

        monkeypatch.setattr(checkout_service, "record", broken)  # after stock is reserved
        with pytest.raises(RuntimeError):
            checkout_service.place_order(user, {}, ADDRESS, "cod", summary.fingerprint)
        db.session.rollback()
    assert count(app, Checkout) == 0 and count(app, Order) == 0
    assert stock_of(app, saree) == 3 and stock_of(app, stole) == 5


def test_sellers_move_their_orders_along_and_buyers_see_it(app, client, outbox):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    reference = place(client).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(select(Order))
        seller_email = order.seller.user.email
        order_id = order.id
    seller = app.test_client()
    log_in(seller, seller_email)
    page = seller.get("/seller/orders").get_data(as_text=True)
    assert reference in page and "Accept the order" in page
    for step in ("accepted", "packed"):
        assert submit(seller, f"/seller/orders/{order_id}/next", {"step": step},
                      token_from="/seller/orders").status_code == 303
    refused = submit(seller, f"/seller/orders/{order_id}/next",
                     {"step": "shipped", "carrier": "India Post", "tracking": ""},
                     token_from="/seller/orders")
    # The message beside the field it is about, on this order's form, with what was typed kept.
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    error = re.search(rf'<p class="error-message" id="o{order_id}-(\w+)-error">(.*?)</p>',
                      page, re.S)
    assert error and error.group(1) == "tracking" and "tracking number" in error.group(2)
    assert f'aria-describedby="o{order_id}-tracking-error"' in page
    assert 'value="India Post"' in page
    submit(seller, f"/seller/orders/{order_id}/next",
           {"step": "shipped", "carrier": "India Post", "tracking": "EE123456789IN"},
           token_from="/seller/orders")
    buyer_view = client.get(f"/orders/{reference}").get_data(as_text=True)
    assert "Shipped" in buyer_view and "EE123456789IN" in buyer_view
    assert "Cancel this order" not in buyer_view  # too late once shipped
    assert any("Shipped" in message["Subject"] for message in outbox)


def test_a_cancelled_order_returns_its_stock_once(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree, "2")
    reference = place(client).headers["Location"].rsplit("/", 1)[1]
    assert stock_of(app, saree) == 1
    with app.app_context():
        order_id = db.session.scalar(select(Order.id))
    path = f"/orders/{reference}/{order_id}/cancel"
    token = csrf_token(client, f"/orders/{reference}")
    for _attempt in range(2):  # a double press of the page's button
        client.post(path, data={"csrf_token": token, "reason": "Ordered by mistake"})
    assert stock_of(app, saree) == 3
    assert "Cancelled" in client.get(f"/orders/{reference}").get_data(as_text=True)


def test_nobody_sees_or_acts_on_anothers_orders(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    reference = place(client).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(select(Order))
        order_id, seller_id = order.id, order.seller_id

    other_buyer = app.test_client()
    log_in(other_buyer, make_user(app, Role.BUYER))
    assert other_buyer.get(f"/orders/{reference}").status_code == 404
    assert other_buyer.get(f"/orders/{reference}/{order_id}/invoice").status_code == 404
    assert submit(other_buyer, f"/orders/{reference}/{order_id}/cancel", {"reason": "x"},
                  token_from="/account").status_code == 404

    other_seller = app.test_client()
    _, _other_id = make_seller(app, "approved", email="other-seller@example.com")
    log_in(other_seller, "other-seller@example.com")
    assert reference not in other_seller.get("/seller/orders").get_data(as_text=True)
    assert submit(other_seller, f"/seller/orders/{order_id}/next", {},
                  token_from="/account").status_code == 404
    assert submit(other_seller, f"/seller/orders/{order_id}/cancel", {"reason": "no"},
                  token_from="/account").status_code == 404
    assert other_seller.get(f"/orders/{reference}/{order_id}/invoice").status_code == 404
    with app.app_context():
        assert db.session.get(Order, order_id).status == "confirmed"
        assert seller_id != _other_id


def test_the_invoice_shows_gst_by_state_or_the_exemption(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    reference = place(client).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(select(Order))
        order_id, gstin = order.id, order.seller_gstin
    invoice = client.get(f"/orders/{reference}/{order_id}/invoice").get_data(as_text=True)
    if gstin:
        assert "Tax invoice" in invoice and gstin in invoice
        assert "CGST" in invoice and "SGST" in invoice  # seller and buyer both in Uttar Pradesh
    else:
        assert "Bill of supply" in invoice and "Not registered for GST" in invoice
    assert "Asha Verma" in invoice and "Uttar Pradesh" in invoice


def test_staff_see_every_order_with_filters(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    place(client)
    staff = app.test_client()
    with app.app_context():
        staff_email = db.session.scalar(select(User.email).where(User.role == "staff"))
    log_in(staff, staff_email)
    assert "Banarasi" not in staff.get("/staff/orders?status=shipped").get_data(as_text=True)
    listed = staff.get("/staff/orders?status=confirmed&state=9&payment=cod").get_data(as_text=True)
    assert "1 order." in listed
    assert staff.get("/staff/orders?status=<script>&state=abc").status_code == 200


def test_every_order_staff_can_open_from_their_list_opens(app, client):
    """Staff's list links an order to its invoice, their page for it, only where there is one:
    a cancelled order is listed, unlinked, rather than linked to a page that is not there."""
    import re

    saree, stole, buyer = shop(app)
    log_in(client, buyer)
    for listing_id in (saree, stole):
        add(client, listing_id)
        place(client)
    with app.app_context():
        kept, cancelled = db.session.scalars(select(Order).order_by(Order.id)).all()
        reference, cancelled_id = cancelled.checkout.reference, cancelled.id
        kept_reference = kept.reference
    submit(client, f"/orders/{reference}/{cancelled_id}/cancel", {"reason": ""},
           token_from=f"/orders/{reference}")
    staff = app.test_client()
    with app.app_context():
        staff_email = db.session.scalar(select(User.email).where(User.role == "staff"))
    log_in(staff, staff_email)
    listed = staff.get("/staff/orders").get_data(as_text=True)
    links = re.findall(r'href="(/orders/[^"]+/invoice)"', listed)
    assert len(links) == 1 and kept_reference in listed
    assert [staff.get(link).status_code for link in links] == [200]


def test_the_product_pages_cart_form_is_the_same_for_everyone_and_checked_by_origin(app, client):
    saree, _stole, _buyer = shop(app)
    page = client.get(f"/products/{saree}-banarasi-saree").get_data(as_text=True)
    assert 'name="csrf_token"' not in page
    assert client.get_cookie("session") is None  # viewing it gave the visitor no cookie
    response = client.post(f"/cart/add/{saree}", data={"quantity": "1"}, headers=SAME_ORIGIN)
    assert response.status_code == 303
    assert "Banarasi saree" in client.get("/cart").get_data(as_text=True)
    other = app.test_client()  # a form on another site, posting to ours
    refused = other.post(f"/cart/add/{saree}", data={"quantity": "1"},
                         headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and other.get_cookie("session") is None


def test_cart_quantities_change_and_lines_go(app, client):
    saree, stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    add(client, stole)
    submit(client, f"/cart/items/{saree}", {"quantity": "3"}, token_from="/cart")
    assert "₹100.00 × 3" in client.get("/cart").get_data(as_text=True)
    submit(client, f"/cart/items/{saree}", {"quantity": "4"}, token_from="/cart")
    page = client.get("/cart").get_data(as_text=True)
    assert "Only 3 can be bought now" in page and "₹100.00 × 3" in page
    submit(client, f"/cart/items/{stole}/remove", {}, token_from="/cart")
    assert "Silk stole" not in client.get("/cart").get_data(as_text=True).split("<main")[1]


def test_a_product_that_leaves_the_shop_blocks_checkout_with_a_message(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    with app.test_request_context():
        from odop_bazaar.services.catalogue import listings

        item = db.session.get(Listing, saree)
        listings.unpublish_listing(item.seller, item)
    page = client.get("/cart").get_data(as_text=True)
    assert "No longer for sale" in page and "Go to checkout" not in page
    assert client.get("/checkout").status_code == 302  # back to the cart
    response = submit(client, "/checkout", {**ADDRESS, "payment_method": "cod",
                                            "fingerprint": "anything"}, token_from="/cart")
    assert response.status_code == 303
    assert client.get("/checkout").location.endswith("/cart")  # nothing to buy: the cart says why
    assert count(app, Checkout) == 0


def test_sellers_and_staff_cannot_buy(app):
    saree, _stole, _buyer = shop(app)
    with app.app_context():
        staff_email = db.session.scalar(select(User.email).where(User.role == "staff"))
    staff = app.test_client()
    log_in(staff, staff_email)
    add(staff, saree)
    assert "cannot buy" in staff.get("/cart").get_data(as_text=True)
    assert staff.get("/checkout").status_code == 403


def test_the_admin_sets_the_delivery_rule_and_checkout_follows_it(app, client):
    saree, _stole, buyer = shop(app)
    admin_email = make_user(app, Role.ADMIN)
    admin = app.test_client()
    log_in(admin, admin_email)
    refused = submit(admin, "/staff/settings", {"charge": "forty", "free_from": "500"})
    assert refused.status_code == 422 and "forty" in refused.get_data(as_text=True)
    assert submit(admin, "/staff/settings", {"charge": "40", "free_from": "150"}).status_code == 303
    with app.app_context():
        staff_email = db.session.scalar(select(User.email).where(User.role == "staff"))
    staff = app.test_client()
    log_in(staff, staff_email)
    assert submit(staff, "/staff/settings", {"charge": "0", "free_from": "0"}).status_code == 403

    log_in(client, buyer)
    add(client, saree)
    assert "₹140.00" in checkout_page(client)  # ₹100 + ₹40 delivery
    add(client, saree)
    page = checkout_page(client)
    assert "₹200.00" in page and "Free" in page  # ₹200 reaches ₹150: free delivery


def test_a_repeated_seller_step_is_refused_not_taken_further(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    place(client)
    with app.app_context():
        order = db.session.scalar(select(Order))
        seller_email, order_id = order.seller.user.email, order.id
    seller = app.test_client()
    log_in(seller, seller_email)
    for _click in range(2):  # a double click on "Accept the order"
        submit(seller, f"/seller/orders/{order_id}/next", {"step": "accepted"},
               token_from="/seller/orders")
    with app.app_context():
        assert db.session.get(Order, order_id).status == "accepted"
    assert "already moved on" in seller.get("/seller/orders").get_data(as_text=True)


def test_two_people_changing_one_order_at_once_cannot_both_win(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    place(client)
    with app.test_request_context():
        from sqlalchemy import update

        from odop_bazaar.services.orders import fulfilment as orders
        from odop_bazaar.services.workflow import InvalidTransition

        order = db.session.scalar(select(Order))
        seller_user = order.seller.user
        # Meanwhile the buyer cancels (another request commits first).
        with db.engine.begin() as other:
            other.execute(update(Order).values(status="cancelled", version=Order.version + 1))
        with pytest.raises(InvalidTransition):
            orders.advance(order, seller_user, "accepted")
    with app.app_context():
        assert db.session.scalar(select(Order.status)) == "cancelled"


def test_odd_characters_in_the_address_get_a_message_not_an_error(app, client):
    saree, _stole, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    for state in ("²", "٣", "9" * 30, "-1"):
        assert "Choose the state." in refused_page(client, place(client, state=state))
    assert count(app, Checkout) == 0


def test_delivery_can_be_made_free_for_every_order(app, client):
    saree, _stole, buyer = shop(app)
    admin = app.test_client()
    log_in(admin, make_user(app, Role.ADMIN))
    assert submit(admin, "/staff/settings", {"charge": "0", "free_from": "0"}).status_code == 303
    log_in(client, buyer)
    add(client, saree)
    page = checkout_page(client)
    assert "Free" in page and "₹100.00" in page
