"""Staff review through the API: the seller and listing queues, one application or listing,
and the decisions, within the reviewer's places exactly as the staff console
(odop_bazaar/staff/seller_review.py, listing_review.py) and through the same services.

A seller or listing outside the reviewer's places is 404, as on the pages. A decision someone
else made first is 409; a refusal with reasons by field is 422.
"""

from datetime import UTC, datetime
from functools import wraps

from odop_bazaar.api.auth import api_user, token_required
from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.api.opening import action_route, stacked
from odop_bazaar.api.paging import decode_cursor, link_header, page_of, refuse_cursor
from odop_bazaar.api.problems import ApiProblem, fields_named
from odop_bazaar.api.staff_schemas import (
    ListingDecisionSchema,
    ListingQueueArgs,
    ListingQueuePageSchema,
    ReviewListingSchema,
    SectionDecisionSchema,
    SellerDecisionSchema,
    SellerDetailSchema,
    SellerQueueArgs,
    SellerQueuePageSchema,
)
from odop_bazaar.extensions import db
from odop_bazaar.hardening import MAX_ID
from odop_bazaar.models import Listing, SectionKey, Seller
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.api_access import ApiScope
from odop_bazaar.services import sellers as seller_service
from odop_bazaar.services.accounts.staff_scope import OutOfScope, check_seller, scope_of
from odop_bazaar.services.catalogue import moderation
from odop_bazaar.services.catalogue import queries as listing_queries

blp = api_blueprint("api_staff_review", __name__,
                    "Staff: the seller and listing review queues and decisions, in your places")

STAFF = (ApiScope.STAFF, Role.STAFF)  # admins hold the staff role too


# --- Reading what a reviewer may open ------------------------------------------------------------

def _seller_in_scope(seller_id: int) -> Seller:
    """The seller, if in the reviewer's places; else 404, as the staff pages answer."""
    try:
        return check_seller(api_user(), db.session.get(Seller, seller_id))
    except OutOfScope:
        raise ApiProblem(404) from None


def _listing_in_scope(listing_id: int) -> Listing:
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        raise ApiProblem(404)
    _seller_in_scope(listing.seller_id)
    return listing


def in_scope(view):
    """Open the URL's seller (or listing, or section of an application) for the view, or
    answer 404 before the body is read: staff elsewhere learn nothing from a 422."""
    @wraps(view)
    def opened(*args, **kwargs):
        if "seller_id" in kwargs:
            kwargs["seller"] = _seller_in_scope(kwargs.pop("seller_id"))
        if "listing_id" in kwargs:
            kwargs["listing"] = _listing_in_scope(kwargs.pop("listing_id"))
        if "section" in kwargs:
            try:
                kwargs["section"] = SectionKey(kwargs["section"])
            except ValueError:
                raise ApiProblem(404) from None
        return view(*args, **kwargs)
    return opened


def _position(cursor: str | None) -> tuple | None:
    """The list position a page continues after: [submitted time or "", id] in the cursor.

    Raises:
        FieldErrors: a cursor this API did not make (422).
    """
    values = decode_cursor(cursor, 2)
    if values is None:
        return None
    when, last_id = values
    try:
        moment = datetime.fromisoformat(when).astimezone(UTC) if when else None
        aware = not when or datetime.fromisoformat(when).tzinfo is not None
    except (TypeError, ValueError, OverflowError):
        moment, aware = None, False
    if not aware or not isinstance(last_id, int) or not 0 < last_id <= MAX_ID:
        refuse_cursor()
    return moment, last_id


def _cursor_of(position: tuple) -> list:
    when, row_id = position
    return [when.isoformat() if when else "", row_id]


def _page(rows: list, limit: int, list_position) -> tuple:
    page = page_of(rows, limit, lambda row: _cursor_of(list_position(row)))
    return page.as_json(), link_header(page)


def opened_read(rule: str, answer_schema):
    """The route that shows one seller or listing in the reviewer's places."""
    return stacked(blp.get(rule), token_required(*STAFF), in_scope,
                   blp.response(200, answer_schema), blp.alt_response(404, response="NOT_FOUND"))


def decision_route(rule: str, body_schema, answer_schema):
    """The route of a decision on a seller or listing in the reviewer's places: its body,
    the seller or listing after."""
    return action_route(blp, rule, token_required(*STAFF), in_scope, answer_schema, body_schema)


# --- Sellers -----------------------------------------------------------------------------------

@blp.get("/staff/sellers")
@token_required(*STAFF)
@blp.arguments(SellerQueueArgs, location="query")
@blp.response(200, SellerQueuePageSchema)
def sellers(args):
    """Sellers in your places, by default those waiting for review (who waited longest first)."""
    filters = seller_service.QueueFilters(
        state=args["state"], district=args["district"], seller_type=args["seller_type"],
        sector=args["sector"], status=args["status"])
    rows, _ = seller_service.review_queue(filters, scope_of(api_user()), limit=args["limit"] + 1,
                                          after=_position(args["after"]))
    return _page(rows, args["limit"], seller_service.list_position)


@opened_read("/staff/sellers/<id:seller_id>", SellerDetailSchema)
def seller(seller: Seller):
    """A seller's application: each section with its status and documents, and the history."""
    return seller


@decision_route("/staff/sellers/<id:seller_id>/sections/<section>/decision",
                SectionDecisionSchema, SellerDetailSchema)
def decide_section(decision, seller: Seller, section: SectionKey):
    """Verify a section, or return it to the seller with a reason."""
    with fields_named({"note": "reason"}):
        seller_service.decide_section(seller, section, verified=decision["decision"] == "verify",
                                      note=decision["reason"], actor=api_user())
    return seller


@decision_route("/staff/sellers/<id:seller_id>/decision", SellerDecisionSchema, SellerDetailSchema)
def decide_seller(decision, seller: Seller):
    """Approve the seller, or send the application back with the sections marked to change."""
    decide = (seller_service.approve_seller if decision["decision"] == "approve"
              else seller_service.request_changes)
    decide(seller, api_user(), decision["reason"].strip())
    return seller


# --- Listings ----------------------------------------------------------------------------------

@blp.get("/staff/listings")
@token_required(*STAFF)
@blp.arguments(ListingQueueArgs, location="query")
@blp.response(200, ListingQueuePageSchema)
def listings(args):
    """Listings of sellers in your places, by default those waiting for review, oldest first."""
    filters = listing_queries.ListingFilters(
        state=args["state"], district=args["district"], sector=args["sector"],
        seller=args["seller"], status=args["status"])
    rows, _ = listing_queries.review_queue(filters, scope_of(api_user()),
                                           limit=args["limit"] + 1,
                                           after=_position(args["after"]))
    return _page(rows, args["limit"], listing_queries.list_position)


@opened_read("/staff/listings/<id:listing_id>", ReviewListingSchema)
def listing(listing: Listing):
    """A listing: the seller's working version beside the live one, what changed, the photos."""
    return listing


def _decide_listing(listing: Listing, decision: dict) -> None:
    """Apply the decision, as the staff page's buttons do."""
    note, reasons = decision["note"].strip(), decision["reason_codes"]
    if decision["decision"] == "approve":
        moderation.approve_listing(listing, api_user(), note,
                                   seen_submission=decision["seen_submission"])
    elif decision["decision"] == "return":
        moderation.request_listing_changes(listing, api_user(), reasons, note,
                                           seen_submission=decision["seen_submission"])
    else:
        moderation.remove_listing(listing, api_user(), reasons, note)


@decision_route("/staff/listings/<id:listing_id>/decision", ListingDecisionSchema,
                ReviewListingSchema)
def decide_listing(decision, listing: Listing):
    """Approve the seller's version (it goes live), ask for changes, or remove the listing."""
    with fields_named({"reasons": "reason_codes"}):
        _decide_listing(listing, decision)
    return listing
