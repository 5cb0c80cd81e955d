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

    # --- Buyers.

    # --- Staff.
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
