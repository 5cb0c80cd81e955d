"""The seller or listing a staff member opens, if it is in the places they work on; else 404
(staff elsewhere need not learn that it exists)."""

from flask import abort
from flask_login import current_user

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Seller
from odop_bazaar.services.accounts.staff_scope import OutOfScope, check_seller


def seller_or_404(seller_id: int) -> Seller:
    """The seller, if they are in the places this staff member works on."""
    try:
        return check_seller(current_user, db.session.get(Seller, seller_id))
    except OutOfScope:
        abort(404)


def listing_or_404(listing_id: int) -> Listing:
    """The listing, if its seller is in the places this staff member works on."""
    listing = db.get_or_404(Listing, listing_id)
    seller_or_404(listing.seller_id)
    return listing
