"""The API's access matrix: every route under /api/ and the answer each persona gets with their
own token (tests/test_api_access_matrix.py asks them). The world and personas are the page
matrix's (tests/access_matrix.py); each persona holds a token with every scope their role may
give, and anonymous holds none.

Answers: 401 without a token, 403 for a token or role the route is not for, 404 for another
person's object, and for the permitted person the answer to an empty JSON body (422 where the
body is required) or the route's own answer.
"""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import User
from odop_bazaar.services.accounts import api_tokens
from tests.access_matrix import PERSONAS, Route, but

PUBLIC = dict.fromkeys(PERSONAS, 200)
TOKEN = but(PUBLIC, anonymous=401)
REFUSED = {"anonymous": 401, **dict.fromkeys(PERSONAS[1:], 403)}
BUYER_ONLY = but(REFUSED, buyer=200, owner=200)
BUYER_OWNED = but(REFUSED, buyer=404, owner=200)
SELLER_ONLY = but(REFUSED, other_seller=200, owner=200)
OWNER_SELLER = but(REFUSED, other_seller=404, owner=200)
STAFF = but(REFUSED, staff_elsewhere=200, admin=200)
STAFF_IN_SCOPE = but(REFUSED, staff_elsewhere=404, admin=200)
BUYER = ("buyer",)
DRAFT = {"listing_id": "draft_listing"}


def get(answers, **options) -> Route:
    return Route({"GET": answers}, **options)


def post(answers, **options) -> Route:
    return Route({"POST": answers}, **options)


def patch(answers, **options) -> Route:
    return Route({"PATCH": answers}, **options)


API_MATRIX: dict[str, Route | tuple[Route, ...]] = {
    # --- Documentation, for everyone.
    "api-docs.openapi_json": get(PUBLIC),
    "api_docs_page.docs": get(PUBLIC),

    # --- The token's own person.
    "api_account.me": get(TOKEN),

    # --- The public catalogue: no token needed, any token accepted.
    "api_catalogue.states": get(PUBLIC),
    "api_catalogue.state": get(PUBLIC, args={"lgd_code": "state"}),
    "api_catalogue.district": get(PUBLIC, args={"lgd_code": "district"}),
    "api_catalogue.sectors": get(PUBLIC),
    "api_listings.listings": get(PUBLIC),
    "api_listings.listing": get(PUBLIC),
    "api_listings.seller": get(PUBLIC),

    # --- Sellers (tokens with seller:write for writes).
    # Their orders, money: another seller's order is not found; buyers and staff are refused.
    # An empty body is refused by field (no step, no reason), so the world's order stays.
    "api_seller_orders.orders": get(SELLER_ONLY),
    "api_seller_orders.order": get(OWNER_SELLER),
    "api_seller_orders.next_step": post(but(OWNER_SELLER, owner=422)),
    "api_seller_orders.cancel": post(but(OWNER_SELLER, owner=422)),
    # The world's return waits on its seller; an empty body is refused by field (no pickup
    # carrier nor tracking number, no reason, restock not said), so it stays waiting.
    "api_seller_returns.returns": get(SELLER_ONLY),
    "api_seller_returns.accept": post(but(OWNER_SELLER, owner=422)),
    "api_seller_returns.refuse": post(but(OWNER_SELLER, owner=422)),
    "api_seller_returns.received": post(but(OWNER_SELLER, owner=422)),
    "api_seller_returns.send_exchange": post(but(OWNER_SELLER, owner=422)),
    "api_seller_money.payouts": get(SELLER_ONLY),
    "api_seller_money.ledger": get(SELLER_ONLY),

    # Listings: an empty new listing is refused field by field; an empty PATCH changes nothing.
    # The status changes are asked of a draft without photos, which none of them may move (so
    # the world stays as it is); removing the live listing's photo leaves a draft for review.
    "api_seller_listings.checklist": get(SELLER_ONLY),
    "api_seller_listings.listing_list": get(SELLER_ONLY),
    "api_seller_listings.create_listing": post(but(SELLER_ONLY, other_seller=422, owner=422)),
    "api_seller_listings.listing_detail": get(OWNER_SELLER),
    "api_seller_listings.edit_listing": patch(OWNER_SELLER),
    "api_seller_listings.submit_listing": post(but(OWNER_SELLER, owner=409), args=DRAFT),
    "api_seller_listings.unpublish_listing": post(but(OWNER_SELLER, owner=409), args=DRAFT),
    "api_seller_listings.republish_listing": post(but(OWNER_SELLER, owner=409), args=DRAFT),
    "api_seller_listings.add_photos": post(but(OWNER_SELLER, owner=422)),
    "api_seller_listings.remove_photo": Route({"DELETE": but(OWNER_SELLER, owner=204)}),

    # --- Buyers: their own checkouts ("owner" is the buyer who placed the world's orders).
    "api_buyer_orders.orders": get(BUYER_ONLY, owners=BUYER),
    "api_buyer_orders.order": get(BUYER_OWNED, owners=BUYER),

    # --- Staff: the review queues, and one seller or listing in the reviewer's places (the
    # world's are in Varanasi; staff_elsewhere works on Goa). The owner seller is approved and
    # the body is empty, so an admin's decision is refused field by field.
    "api_staff_review.sellers": get(STAFF),
    "api_staff_review.seller": get(STAFF_IN_SCOPE),
    "api_staff_review.decide_section": post(but(STAFF_IN_SCOPE, admin=422),
                                            args={"section": "name"}),
    "api_staff_review.decide_seller": post(but(STAFF_IN_SCOPE, admin=422)),
    "api_staff_review.listings": get(STAFF),
    "api_staff_review.listing": get(STAFF_IN_SCOPE, args={"listing_id": "spare_listing"}),
    "api_staff_review.decide_listing": post(but(STAFF_IN_SCOPE, admin=422),
                                            args={"listing_id": "spare_listing"}),
}


def issue_tokens(app, world: dict) -> dict[str, str]:
    """A token per persona's session name, with every scope its role may give."""
    secrets = {}
    with app.test_request_context():
        for name, email in world["emails"].items():
            user = db.session.scalar(select(User).where(User.email == email))
            scopes = [scope.value for scope in api_tokens.scopes_for(user)]
            secrets[name] = api_tokens.create_token(user, name=f"{name} token", scopes=scopes,
                                                    expires_in_days=30).secret
    return secrets


def api_routes_of(endpoint: str) -> tuple[Route, ...]:
    routes = API_MATRIX[endpoint]
    return routes if isinstance(routes, tuple) else (routes,)
