"""A seller's listings through the API: the onboarding checklist, their listings (create, edit
content with price and stock in one request, submit, unpublish, put back), and photos (multipart,
the same pipeline and limits as the page's upload).

Each view calls the service the listing pages call (services/catalogue/listings.py), with the
JSON's plain values; refusals come back as problem details with the pages' words. Another
seller's listing is 404, as on the pages. A change the listing's status does not allow is 409.
"""

from flask import url_for
from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from odop_bazaar.api import seller_listing_schemas as s
from odop_bazaar.api.auth import api_user, token_required
from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.api.idempotency import idempotent
from odop_bazaar.api.opening import action_route, opens
from odop_bazaar.api.paging import PageArgs, id_cursor, link_header, page_of, page_schema
from odop_bazaar.api.problems import ApiProblem
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.api_access import ApiScope
from odop_bazaar.models.catalogue import Listing
from odop_bazaar.services import sellers
from odop_bazaar.services.catalogue import listings, queries
from odop_bazaar.services.catalogue.errors import ListingError, NotAllowed, NotYourListing

blp = api_blueprint("api_seller_listings", __name__,
                    "A seller's onboarding checklist, listings and listing photos")

READ, WRITE = ApiScope.READ, ApiScope.SELLER_WRITE
ListingPage = page_schema(s.ListingSummarySchema, "SellerListingPage")


class ListingListArgs(PageArgs, s.ListingArgs):
    """Paging and the status filter."""


class PhotoFiles(Schema):
    photos = fields.List(Upload(), required=True, metadata={
        "description": "One or more JPEG, PNG, WebP or HEIC photos, under the same name"})


def _seller():
    return sellers.seller_for_user(api_user())


def own_listing(listing_id: int) -> Listing:
    """One of the token's seller's listings.

    Raises:
        ApiProblem: 404 for no such listing, or another seller's.
    """
    try:
        return queries.seller_listing(_seller(), listing_id)
    except NotYourListing:
        raise ApiProblem(404) from None


def listing_action(action: str):
    """The route of a change of one of the seller's listings' status: the listing after."""
    return action_route(blp, f"/seller/listings/<id:listing_id>/{action}",
                        token_required(WRITE, Role.SELLER),
                        opens("listing_id", "listing", own_listing), s.ListingSchema)


@blp.get("/seller/checklist")
@token_required(READ, Role.SELLER)
@blp.response(200, s.ChecklistSchema)
def checklist():
    """The onboarding checklist: each section's status, what is due, the seller's status."""
    seller = _seller()
    return s.checklist_json(seller, sellers.checklist(seller),
                            sellers.latest_decision_note(seller))


@blp.get("/seller/listings")
@token_required(READ, Role.SELLER)
@blp.arguments(ListingListArgs, location="query")
@blp.response(200, ListingPage)
def listing_list(args):
    """The seller's listings, newest first, in one status or all (keyset paging)."""
    rows = queries.seller_listing_page(_seller(), status=args["status"],
                                       before_id=id_cursor(args["after"]),
                                       limit=args["limit"] + 1)
    page = page_of(rows, args["limit"], lambda listing: [listing.id])
    return {"items": [s.summary_json(row) for row in page.items], "next": page.next}, 200, \
        link_header(page)


@blp.post("/seller/listings")
@token_required(WRITE, Role.SELLER)
@idempotent
@blp.arguments(s.NewListingInput)
@blp.response(201, s.ListingSchema, headers={"Location": {"schema": {"type": "string"}}})
@blp.alt_response(409, response="CONFLICT")
def create_listing(answers):
    """A new draft listing (the seller must be approved); then add photos and submit it."""
    content, prices = s.content_and_prices(answers)
    listing = listings.create_listing(_seller(), content, prices)
    return s.listing_json(listing), 201, {
        "Location": url_for(".listing_detail", listing_id=listing.id)}


@blp.get("/seller/listings/<id:listing_id>")
@token_required(READ, Role.SELLER)
@opens("listing_id", "listing", own_listing)
@blp.response(200, s.ListingSchema)
@blp.alt_response(404, response="NOT_FOUND")
def listing_detail(listing: Listing):
    """One listing: the seller's version and the live one, price, stock, status, photos."""
    return s.listing_json(listing)


@blp.route("/seller/listings/<id:listing_id>", methods=["PATCH"])
@token_required(WRITE, Role.SELLER)
@opens("listing_id", "listing", own_listing)
@blp.arguments(s.ListingChanges)
@blp.response(200, s.ListingSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def edit_listing(changes, listing: Listing):
    """Change any answers at once: content (reviewed again on a live listing) and price and
    stock (live at once). All are checked before any is saved; those left out stay."""
    listings.edit_listing(listing.seller, listing, changes)
    return s.listing_json(listing)


@listing_action("submit")
def submit_listing(listing: Listing):
    """Send the seller's version to staff for review."""
    listings.submit_listing(listing.seller, listing)
    return s.listing_json(listing)


@listing_action("unpublish")
def unpublish_listing(listing: Listing):
    """Take the listing off the shop."""
    listings.unpublish_listing(listing.seller, listing)
    return s.listing_json(listing)


@listing_action("republish")
def republish_listing(listing: Listing):
    """Put an unpublished listing back on the shop (changes made since go to review)."""
    listings.republish_listing(listing.seller, listing)
    return s.listing_json(listing)


@blp.post("/seller/listings/<id:listing_id>/photos")
@token_required(WRITE, Role.SELLER)
@opens("listing_id", "listing", own_listing)
@idempotent
@blp.arguments(PhotoFiles, location="files")
@blp.response(201, s.PhotosSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
def add_photos(files, listing: Listing):
    """Add photos (multipart/form-data, each under `photos`): they are "processing" until
    the sizes are made, then "ready", or "failed" with the reason."""
    uploads = [listings.PhotoUpload(f.filename or "", f.read()) for f in files["photos"] if f]
    added = listings.add_photos(listing.seller, listing, uploads)
    photos = listing.working_content.photos[-added:]
    return {"photos": [s.photo_json(photo) for photo in photos]}, 201


@blp.route("/seller/listings/<id:listing_id>/photos/<id:photo_id>", methods=["DELETE"])
@token_required(WRITE, Role.SELLER)
@opens("listing_id", "listing", own_listing)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def remove_photo(listing: Listing, photo_id: int):
    """Remove a photo from the seller's version (of a live listing: reviewed again)."""
    try:
        listings.change_photo(listing.seller, listing, photo_id, "remove")
    except NotAllowed:
        raise
    except ListingError as error:  # not a photo of this listing
        raise ApiProblem(404, str(error)) from None
