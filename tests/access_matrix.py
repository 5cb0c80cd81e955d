"""The access matrix: the world every route is asked in, and the answer each persona should get
from each rule of the app (who the personas are: tests/test_access_matrix.py)."""

from dataclasses import dataclass, field

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import (
    Checkout,
    Listing,
    OutboxMessage,
    Review,
    Role,
    Seller,
    StaffScope,
    StockAlert,
    User,
)
from odop_bazaar.models.orders import Refund
from odop_bazaar.services.accounts import api_tokens, users
from odop_bazaar.services.catalogue import listings
from odop_bazaar.services.catalogue.storefront import slugify
from odop_bazaar.services.complaints import tickets
from odop_bazaar.services.reference import odop_list
from tests.checkout_helpers import add, place
from tests.conftest import csrf_token, log_in
from tests.factories import listing as live_listing
from tests.factories import make_jpeg, make_places, make_reviewer, make_seller, make_user
from tests.reference_files import official_csv
from tests.returns_helpers import a_return_in_the_world

PERSONAS = ("anonymous", "buyer", "other_seller", "owner", "staff_elsewhere", "admin")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


# --- The world ------------------------------------------------------------------------------

def build_world(app) -> dict:
    """Everything the URLs name, and the personas' emails. Returns URL arguments and emails."""
    make_places(app)
    make_user(app, Role.STAFF)  # all India: approves the sellers and listings below
    owner_email, seller_id = make_seller(app, "approved")
    other_seller_email, _ = make_seller(app, "approved")
    live = live_listing(app, seller_id, "Banarasi silk stole", stock="50")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        live_photo = db.session.get(Listing, live).live_content.photos[0]
        pending = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": "Pending shawl",
                     "description": "Handmade", "gst_rate": 5},
            {"price": "250", "mrp": "300", "stock": "2"})
        # A photo of its own, so it is a draft's photo and not also a live one.
        listings.add_photos(seller, pending, [listings.PhotoUpload("draft.jpg",
                                                                   make_jpeg(601, 401))])
        listings.submit_listing(seller, pending)
        # A draft without photos: nothing may change its status yet (the API's 409s).
        draft = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": "Draft durrie",
                     "gst_rate": 5}, {"price": "90", "mrp": "90", "stock": "1"})
        world = {
            "seller_id": seller_id, "listing_id": live, "photo_id": live_photo.id,
            "live_photo": live_photo.key(320, "webp"), "spare_listing": pending.id,
            "draft_listing": draft.id,
            "draft_photo": pending.working_content.photos[0].key(320, "webp"),
            "document_id": seller.documents[0].id, "product_slug": slugify("Banarasi silk stole"),
            "first_page": 1, "seller_slug": slugify(seller.name_for_buyers),
        }

    owner_buyer_email = make_user(app, Role.BUYER)
    buyer_email = make_user(app, Role.BUYER)
    owner_buyer = app.test_client()
    log_in(owner_buyer, owner_buyer_email)
    references = []
    # The order every page shows, a spare one for the buyer to cancel, one delivered and returned.
    for _ in range(3):
        add(owner_buyer, live)
        response = place(owner_buyer)
        assert response.status_code == 303, response.get_data(as_text=True)
        references.append(response.location.rsplit("/", 1)[1])
    add(owner_buyer, live)  # so both buyers reach the checkout page rather than their empty cart
    buyer = app.test_client()
    log_in(buyer, buyer_email)
    add(buyer, live)

    staff_elsewhere_email = make_reviewer(app, states=(30,))
    admin_email = make_user(app, Role.ADMIN)
    target_email = make_reviewer(app, districts=(551,))  # the accounts pages act on them
    with app.test_request_context():
        orders = {}
        for name, reference in zip(("", "spare_", "returned_"), references, strict=True):
            placed = db.session.scalar(select(Checkout).where(Checkout.reference == reference))
            orders[f"{name}reference"] = reference
            orders[f"{name}order_id"] = placed.orders[0].id
        target = db.session.scalar(select(User).where(User.email == target_email))
        owner_buyer_user = db.session.scalar(select(User).where(User.email == owner_buyer_email))
        # A complaint by the buyer about the order every page shows.
        complaint = tickets.open_complaint(
            owner_buyer_user, "order", orders["order_id"], category="damaged",
            description="The saree arrived torn along the border.", submission_key="world")
        orders["complaint_reference"] = complaint.complaint.reference
        # REVIEWS: a review of the order's line, written straight in (the order is not delivered).
        line = db.session.scalar(select(Checkout).where(
            Checkout.reference == references[0])).orders[0].items[0]
        review = Review(order_item_id=line.id, listing_id=live, seller_id=seller_id,
                        buyer_id=owner_buyer_user.id, rating=2, text="Too thin")
        db.session.add(review)
        # A "tell me when it is back" of the buyer's, on the listing (written straight in).
        alert = StockAlert(listing_id=live, user_id=owner_buyer_user.id)
        db.session.add(alert)
        db.session.commit()
        world |= {"line_id": line.id, "review_id": review.id, "alert_id": alert.id}
        world |= orders | {
            "refund_id": _bank_refund(orders["order_id"]),
            "message_id": _failed_mail(),
            "user_id": target.id,
            "scope_id": db.session.scalar(select(StaffScope.id).where(
                StaffScope.user_id == target.id)),
            "reset_token": users.make_token(owner_buyer_user, users.PASSWORD_RESET),
            "verify_token": users.make_token(owner_buyer_user, users.EMAIL_VERIFICATION),
            "sha256": odop_list.upload_list(official_csv([
                ["Goa", "Cashew", "North Goa", "551", "Primary", "Agriculture", "", "Yes", "",
                 ""]]), "ODOP_v33.csv"),
        }
    world |= a_return_in_the_world(app, world["returned_order_id"], owner_email)
    world["token_id"] = _api_token(app, owner_email)
    world |= {"name": "pan", "state": 9, "district": 187, "sector": "handloom",
              "filename": "css/app.css"}
    world["emails"] = {"buyer": buyer_email, "other_seller": other_seller_email,
                       "owner_seller": owner_email, "owner_buyer": owner_buyer_email,
                       "staff_elsewhere": staff_elsewhere_email, "admin": admin_email}
    return world


def _api_token(app, email: str) -> int:
    """A personal access token of the owner seller's, for its revoke button."""
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return api_tokens.create_token(user, name="Shop app", scopes=["read"],
                                       expires_in_days=30).token.id


def _bank_refund(order_id: int) -> int:
    """A bank refund of the owner seller's order, waiting for staff to pay it (written as it
    stands: the order is not delivered, so the service would not refund it yet)."""
    refund = Refund(method="bank", order_id=order_id, amount_paise=100, reason="Damaged",
                    status="awaiting_transfer", payee_name="Asha Verma",
                    payee_account_number="50100012345678", payee_ifsc="HDFC0001234")
    db.session.add(refund)
    db.session.commit()
    return refund.id


def _failed_mail() -> int:
    """An email that failed for good, waiting for an admin to send it again."""
    message = OutboxMessage(to_address="nobody@example.invalid", subject="Hello", body="Hi",
                            status="failed", attempts=8, last_error="SMTPRecipientsRefused")
    db.session.add(message)
    db.session.commit()
    return message.id


@dataclass(frozen=True)
class Session:
    """A persona's logged-in session: the cookie to hand to a fresh client, and its CSRF token."""

    cookie: str
    token: str


def open_sessions(app, world) -> dict[str, Session]:
    """Log each persona in once (anonymous just gets a session with a CSRF token)."""
    sessions = {}
    for who in ("anonymous", *world["emails"]):
        client = app.test_client()
        if who != "anonymous":
            log_in(client, world["emails"][who])
        token = csrf_token(client)
        sessions[who] = Session(client.get_cookie("session").value, token)
    return sessions


def client_for(app, session: Session):
    client = app.test_client()
    client.set_cookie("session", session.cookie)
    return client


# --- The matrix -----------------------------------------------------------------------------

def but(base: dict, **changes) -> dict:
    """A persona -> answer table, with some answers changed."""
    unknown = set(changes) - set(PERSONAS)
    assert not unknown, f"not personas: {unknown}"
    return {**base, **changes}


PUBLIC = dict.fromkeys(PERSONAS, 200)
LOGGED_IN = but(PUBLIC, anonymous="login")
REFUSED = {"anonymous": "login", **dict.fromkeys(PERSONAS[1:], 403)}
BUYER_ONLY = but(REFUSED, buyer=200, owner=200)        # owner: the buyer who placed the order
BUYER_OWNED = but(REFUSED, buyer=404, owner=200)       # another buyer's checkout does not exist
SELLER_ONLY = but(REFUSED, other_seller=200, owner=200)
OWNER_SELLER = but(REFUSED, other_seller=404, owner=200)  # another seller's object does not exist
STAFF = but(REFUSED, staff_elsewhere=200, admin=200)
STAFF_IN_SCOPE = but(REFUSED, staff_elsewhere=404, admin=200)  # outside the staff's places: 404
ADMIN = but(REFUSED, admin=200)
OPENER = but(REFUSED, buyer=200, other_seller=200, owner=200)  # buyers and sellers open tickets
OPENER_OWNED = but(REFUSED, buyer=404, other_seller=404, owner=200)  # the ticket's opener
OWNER_ELSE_404 = but(REFUSED, **dict.fromkeys(PERSONAS[1:], 404))  # own tokens: no role needed


@dataclass(frozen=True)
class Route:
    """The answers expected from one rule (or every rule) of an endpoint.

    answers: method -> persona -> answer. owners: who "owner" is here, "seller" (the owning
    seller) and/or "buyer" (the buyer who placed the order). args: URL arguments -> the world's
    key for them, where the world's key is not the argument's own name. rule: which of the
    endpoint's rules, when it has several.
    """

    answers: dict
    owners: tuple[str, ...] = ("seller",)
    args: dict = field(default_factory=dict)
    rule: str | None = None


def get(answers, **options) -> Route:
    return Route({"GET": answers}, **options)


def post(answers, **options) -> Route:
    return Route({"POST": answers}, **options)


def get_post(get_answers, post_answers, **options) -> Route:
    return Route({"GET": get_answers, "POST": post_answers}, **options)


BUYER = ("buyer",)
TICKET = {"reference": "complaint_reference"}
EVERYONE_422 = dict.fromkeys(PERSONAS, 422)

MATRIX: dict[str, Route | tuple[Route, ...]] = {
    # --- Accounts. Logged-in people are sent on from the login and register pages.
    "auth.account": get_post(LOGGED_IN, but(LOGGED_IN, **dict.fromkeys(PERSONAS[1:], 422))),
    # Tokens: the list and form are everyone's own; another person's token does not exist.
    "auth.api_tokens": get_post(LOGGED_IN, but(LOGGED_IN, **dict.fromkeys(PERSONAS[1:], 422))),
    "auth.revoke_api_token": post(but(OWNER_ELSE_404, owner=302)),
    "auth.change_password": get_post(LOGGED_IN,
                                     but(LOGGED_IN, **dict.fromkeys(PERSONAS[1:], 422))),
    "auth.forgot_password": get_post(PUBLIC, EVERYONE_422),
    "auth.login": get_post(but(dict.fromkeys(PERSONAS, 302), anonymous=200), EVERYONE_422),
    "auth.logout": get_post(but(PUBLIC, anonymous=302), dict.fromkeys(PERSONAS, 302)),
    "auth.register": get_post(but(dict.fromkeys(PERSONAS, 302), anonymous=200),
                              but(dict.fromkeys(PERSONAS, 302), anonymous=422)),
    "auth.resend_verification": post(but(dict.fromkeys(PERSONAS, 302), anonymous="login")),
    # A reset link is the owner buyer's: whoever holds it gets its form.
    "auth.reset_password": get_post(PUBLIC, EVERYONE_422, args={"token": "reset_token"}),
    # Anonymous visitors are sent to the login page (not as a refusal: no next=).
    "auth.verify_email": get(dict.fromkeys(PERSONAS, 302), args={"token": "verify_token"}),

    # --- A seller's listings. Approved sellers may start a listing; only the owner opens one.
    "listings.index": get(SELLER_ONLY),
    "listings.new": get_post(SELLER_ONLY, but(SELLER_ONLY, other_seller=422, owner=422)),
    "listings.edit": get(OWNER_SELLER),
    "listings.update_content": post(but(OWNER_SELLER, owner=422)),
    "listings.update_price": post(but(OWNER_SELLER, owner=422)),
    "listings.upload_photos": post(but(OWNER_SELLER, owner=422)),
    "listings.photo_list": get(OWNER_SELLER),
    "listings.change_photo": post(but(OWNER_SELLER, owner=302)),
    "listings.change_status": post(but(OWNER_SELLER, owner=400)),  # no button pressed

    # --- Onboarding. Sellers only ever reach their own application (no URL names a seller);
    # both sellers are approved, so changes are refused with a message, not by access control.
    "onboarding.checklist": get(SELLER_ONLY),
    "onboarding.section": get_post(SELLER_ONLY, but(SELLER_ONLY, other_seller=302, owner=302)),
    "onboarding.remove_aadhaar": post(but(SELLER_ONLY, other_seller=302, owner=302)),
    "onboarding.submit": post(but(SELLER_ONLY, other_seller=302, owner=302)),
    "onboarding.remove_document": post(but(OWNER_SELLER, owner=302)),
    # A document is for its owner and for staff of its place; to anyone else it does not exist.
    "onboarding.document": get(but(STAFF_IN_SCOPE, buyer=404, other_seller=404, owner=200)),
    # The form is for visitors; anyone logged in is told what to do instead.
    "onboarding.sell": get_post(PUBLIC, but(PUBLIC, anonymous=422)),

    # --- Cart: anyone may fill one; seller and staff accounts are told they cannot buy.
    # A product for sale: the button that asks to be told when it is back sends everyone on.
    "shop.ask_when_back": post(but(dict.fromkeys(PERSONAS, 303), anonymous="login")),
    "shop.stock_alerts": get(BUYER_ONLY, owners=BUYER),
    "shop.stop_stock_alert": post(but(BUYER_ONLY, buyer=303, owner=303), owners=BUYER),
    "orders.cart": get(PUBLIC),
    "orders.add_to_cart": post(but(dict.fromkeys(PERSONAS, 302), anonymous=303, buyer=303)),
    # Through a listing that is in nobody's cart, so the carts stay as they are.
    "orders.update_cart_item": post(dict.fromkeys(PERSONAS, 303),
                                    args={"listing_id": "spare_listing"}),
    "orders.remove_cart_item": post(dict.fromkeys(PERSONAS, 303),
                                    args={"listing_id": "spare_listing"}),

    # --- Checkout and the buyer's orders: the owner is the buyer who placed the order.
    # A refused order answers 303 to the checkout page, which shows why (POST/redirect/GET).
    "orders.checkout": get_post(BUYER_ONLY, but(BUYER_ONLY, buyer=303, owner=303), owners=BUYER),
    "orders.orders": get(BUYER_ONLY, owners=BUYER),
    "orders.order": get(BUYER_OWNED, owners=BUYER),
    # Card payments are off, so the buyer's own checkout sends them to the order page.
    "orders.pay": get(but(BUYER_OWNED, owner=302), owners=BUYER),
    "orders.payment_return": get(but(BUYER_OWNED, owner=302), owners=BUYER),
    "orders.cancel": (
        post(but(BUYER_OWNED, owner=303), owners=BUYER,
             args={"reference": "spare_reference", "order_id": "spare_order_id"}),
        # An order id under another of the buyer's checkouts is not found (nor cancelled).
        post(but(BUYER_OWNED, owner=404), owners=BUYER, args={"order_id": "spare_order_id"}),
    ),
    # The tax invoice: for its buyer, its seller, and staff of the seller's place.
    "orders.invoice": (
        get(but(STAFF_IN_SCOPE, buyer=404, other_seller=404, owner=200),
            owners=("buyer", "seller")),
        get(but(STAFF_IN_SCOPE, buyer=404, other_seller=404, owner=404, admin=404),
            owners=("buyer", "seller"), args={"order_id": "spare_order_id"}),
    ),

    # --- Complaint tickets: the owner is the buyer who opened the world's ticket. With no
    # order, listing or payout named, the form page says where to start from; a POST is 404.
    "complaints.new": get_post(OPENER, but(OPENER, buyer=404, other_seller=404, owner=404),
                               owners=BUYER),
    "complaints.mine": get(OPENER, owners=BUYER),
    "complaints.ticket": get(OPENER_OWNED, owners=BUYER, args=TICKET),
    "complaints.reply": post(but(OPENER_OWNED, owner=422), owners=BUYER, args=TICKET),
    "complaints.reopen": post(but(OPENER_OWNED, owner=422), owners=BUYER, args=TICKET),
    # --- Returns (the world's order is delivered, one unit is in a return). Another buyer's or
    # seller's return does not exist for them; its photo is for its buyer, seller and staff.
    "orders.return_items": get_post(BUYER_OWNED, but(BUYER_OWNED, owner=422), owners=BUYER,
                                    args={"reference": "returned_reference",
                                          "order_id": "returned_order_id"}),
    "orders.buyer_return": get(BUYER_OWNED, owners=BUYER),
    "orders.cancel_return": post(but(BUYER_OWNED, owner=303), owners=BUYER),
    "orders.return_photo": get(but(STAFF_IN_SCOPE, buyer=404, other_seller=404, owner=200),
                               owners=("buyer", "seller"), args={"photo_id": "return_photo_id"}),
    "orders.seller_returns": get(SELLER_ONLY),
    "orders.seller_return_policy": post(but(SELLER_ONLY, other_seller=303, owner=303)),
    "orders.seller_accept_return": post(but(OWNER_SELLER, owner=303)),
    "orders.seller_refuse_return": post(but(OWNER_SELLER, owner=303)),
    "orders.seller_return_received": post(but(OWNER_SELLER, owner=303)),
    "orders.seller_return_not_worth_it": post(but(OWNER_SELLER, owner=303)),
    "orders.seller_send_exchange": post(but(OWNER_SELLER, owner=303)),
    "staff.returns": get(STAFF),
    "staff.decide_return": post(but(STAFF_IN_SCOPE, admin=303)),

    # --- The seller's orders and payouts.
    "orders.seller_orders": get(SELLER_ONLY),
    "orders.seller_payouts": get(SELLER_ONLY),
    # A step or a cancellation with no step or reason is refused with a message.
    "orders.seller_next_step": post(but(OWNER_SELLER, owner=303)),
    "orders.seller_cancel": post(but(OWNER_SELLER, owner=303)),
    # Signed by Stripe instead of a session (see test_csrf.py); with card payments off, there
    # is no webhook.
    "orders.stripe_webhook": post(dict.fromkeys(PERSONAS, 404)),

    # --- Reviews. The order is not delivered: its buyer is told so (422 when they post).
    "reviews.write_review": get_post(but(BUYER_OWNED, owner=200), but(BUYER_OWNED, owner=422),
                                     owners=BUYER),
    # Anyone signed in may report; a report without a reason is refused (nothing stored).
    "reviews.report": get_post(LOGGED_IN, but(LOGGED_IN, **dict.fromkeys(PERSONAS[1:], 422))),
    "reviews.seller_reviews": get(SELLER_ONLY),
    "reviews.reply": post(but(OWNER_SELLER, owner=422)),  # an empty reply is refused

    # --- Public pages.
    "public.index": get(PUBLIC),
    "public.state": get(PUBLIC, args={"lgd_code": "state"}),
    "public.district": get(PUBLIC, args={"lgd_code": "district"}),
    "public.sector": get(PUBLIC, args={"slug": "sector"}),
    "public.search": get(PUBLIC),
    "public.media": (
        get(PUBLIC, args={"key": "live_photo"}),
        # A listing's photo waiting for review: its seller and the staff of its place only.
        get(but(STAFF_IN_SCOPE, anonymous=404, buyer=404, other_seller=404, owner=200),
            args={"key": "draft_photo"}),
    ),
    "shop.product": (
        # The short address sends everyone to the one with the title in it.
        get(dict.fromkeys(PERSONAS, 301), rule="/products/<id:listing_id>"),
        get(PUBLIC, args={"slug": "product_slug"}, rule="/products/<id:listing_id>-<slug>"),
    ),
    "shop.seller": (
        # A maker's shop page, for everyone; the short address sends them to the one with
        # the maker's name in it.
        get(dict.fromkeys(PERSONAS, 301), rule="/sellers/<id:seller_id>"),
        get(PUBLIC, args={"slug": "seller_slug"}, rule="/sellers/<id:seller_id>-<slug>"),
    ),
    "shop.sitemap": get(PUBLIC),
    "shop.sitemap_page": get(PUBLIC, args={"page": "first_page"}),
    "static": get(PUBLIC),

    # --- The staff console. Lists show staff only what is in their places; a Varanasi seller,
    # listing or ledger is not found by staff who work on Goa.
    "staff.index": get(STAFF),
    "staff.sellers": get(STAFF),
    "staff.seller": get(STAFF_IN_SCOPE),
    "staff.decide_section": post(but(STAFF_IN_SCOPE, admin=400)),  # neither button
    "staff.decide_seller": post(but(STAFF_IN_SCOPE, admin=400)),
    "staff.suspension": post(but(ADMIN, admin=400)),  # admins only, wherever the seller is
    "staff.listings_queue": get(STAFF),
    "staff.listing": get(STAFF_IN_SCOPE),
    "staff.decide_listing": post(but(STAFF_IN_SCOPE, admin=400)),
    "staff.orders": get(STAFF),
    "staff.reviews_queue": get(STAFF),
    # No reason chosen, not hidden, nothing reported: refused or nothing to do, with a message.
    "staff.hide_review": post(but(STAFF_IN_SCOPE, admin=303)),
    "staff.unhide_review": post(but(STAFF_IN_SCOPE, admin=303)),
    "staff.keep_review": post(but(STAFF_IN_SCOPE, admin=303)),
    "staff.export_sellers": get(STAFF),
    "staff.export_listings": get(STAFF),
    "staff.export_orders": get(STAFF),
    # Only admins change the settings; a field left out of the form keeps its current value.
    "staff.settings": get_post(STAFF, but(STAFF, staff_elsewhere=403, admin=303)),
    "staff.settlements_index": get(STAFF),
    "staff.settlement": get(STAFF_IN_SCOPE),
    "staff.record_payout": post(but(STAFF_IN_SCOPE, admin=422)),
    "staff.record_correction": post(but(ADMIN, admin=422)),
    "staff.post_credits": post(but(ADMIN, admin=303)),  # nothing is due
    "staff.payouts_csv": get(ADMIN),
    # Bank refunds to pay: the queue, one refund (404 outside the staff's places), the bank file.
    "staff.refunds": get(STAFF),
    "staff.refund": get(STAFF_IN_SCOPE),
    "staff.record_refund_paid": post(but(STAFF_IN_SCOPE, admin=422)),  # no date nor reference
    "staff.refunds_csv": get(ADMIN),
    "staff.audit": get(ADMIN),
    "staff.mail_outbox": get(ADMIN),
    "staff.retry_mail": post(but(ADMIN, admin=303)),
    # The grievance officer's queue; a ticket about a seller outside the staff's places is 404.
    "staff.complaints": get(STAFF),
    "staff.complaint": get(STAFF_IN_SCOPE, args=TICKET),
    "staff.acknowledge_complaint": post(but(STAFF_IN_SCOPE, admin=303), args=TICKET),
    "staff.reply_to_complaint": post(but(STAFF_IN_SCOPE, admin=422), args=TICKET),
    "staff.resolve_complaint": post(but(STAFF_IN_SCOPE, admin=422), args=TICKET),
    # Accounts (admins only), acting on a staff account that is not a persona.
    "staff.users": get(ADMIN),
    "staff.user": get(ADMIN),
    "staff.new_staff": get_post(ADMIN, but(ADMIN, admin=422)),
    "staff.user_status": post(but(ADMIN, admin=400)),  # neither button
    "staff.user_role": post(but(ADMIN, admin=400)),
    "staff.user_all_india": post(but(ADMIN, admin=303)),
    "staff.add_place": post(but(ADMIN, admin=422)),  # no place chosen
    "staff.remove_place": post(but(ADMIN, admin=303)),
    # The ODOP reference list (admins only).
    "staff.reference": get_post(ADMIN, but(ADMIN, admin=422)),
    "staff.reference_preview": get(ADMIN),
    # No list named: the page says that list is not kept here.
    "staff.apply_reference": post(but(ADMIN, admin=404)),
}


# Answered by WSGI middleware before Flask (odop_bazaar/health.py, metrics.py), so not in the
# url_map: the same answer for everyone, whatever session they carry. /metrics: the test
# client's address is 127.0.0.1, which METRICS_ALLOW admits (tests/test_metrics.py refuses others).
BEFORE_FLASK = {
    "/healthz": Route({"GET": PUBLIC, "POST": dict.fromkeys(PERSONAS, 405)}),
    "/readyz": Route({"GET": PUBLIC, "POST": dict.fromkeys(PERSONAS, 405)}),
    "/metrics": Route({"GET": PUBLIC, "POST": dict.fromkeys(PERSONAS, 405)}),
}


def routes_of(endpoint: str) -> tuple[Route, ...]:
    routes = MATRIX[endpoint]
    return routes if isinstance(routes, tuple) else (routes,)


def methods_of(rule) -> set[str]:
    return set(rule.methods) - IGNORED_METHODS


def url_for_rule(rule, route: Route, world: dict) -> str:
    """The rule's path with the world's objects in it (each rule built on its own, so both of
    an endpoint's rules are asked)."""
    names = set(rule.arguments) - set(rule.defaults or {})
    values = {name: world[route.args.get(name, name)] for name in names}
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"cannot build {rule.rule} from {values}"
    return built[1]


def people_for(who: str, route: Route) -> list[tuple[str, str]]:
    """(label, session name) of the people who are this persona on this route."""
    if who != "owner":
        return [(who, who)]
    if len(route.owners) == 1:
        return [("owner", f"owner_{route.owners[0]}")]
    return [(f"owner ({kind})", f"owner_{kind}") for kind in route.owners]
