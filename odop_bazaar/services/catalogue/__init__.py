"""The catalogue: listings, photos, moderation, search and the storefront.

The listing workflow, one module per part:
    checks.py       the rules a listing's answers must meet
    listings.py     what a seller does with their own listings (writes)
    moderation.py   staff decisions: approve, send back, remove (writes)
    queries.py      reads for sellers, staff and buyers (never commit)
    photo_files.py  the photos' stored files
    photo_jobs.py   the background job that processes an uploaded listing photo
    errors.py       what the listing services refuse with
Beside it: images.py (the photo pipeline), and what buyers browse: search.py, storefront.py,
shop_listings.py and shop_changes.py (the log of changes cached pages follow).

The workflow's public names are also gathered here, for callers that drive all of it (the demo
data, tests): `from odop_bazaar.services import catalogue`, then `catalogue.submit_listing(...)`.
"""

from odop_bazaar.services.catalogue.checks import (
    check_content,
    check_price_and_stock,
    submission_problems,
)
from odop_bazaar.services.catalogue.errors import ListingError, NotAllowed, NotYourListing
from odop_bazaar.services.catalogue.listings import (
    PhotosAdded,
    PhotoUpload,
    add_good_photos,
    add_photos,
    change_photo,
    create_listing,
    edit_listing,
    republish_listing,
    submit_listing,
    unpublish_listing,
    update_content,
    update_price_and_stock,
)
from odop_bazaar.services.catalogue.moderation import (
    approve_listing,
    remove_listing,
    request_listing_changes,
)
from odop_bazaar.services.catalogue.queries import (
    LISTING_LISTS,
    WAITING,
    ListingFilters,
    buyer_view,
    changed_fields,
    listing_list_options,
    listing_list_query,
    photo_audience,
    review_queue,
    seller_listing,
    seller_listing_page,
    seller_listings,
)
from odop_bazaar.services.errors import FieldErrors, InvalidTransition

__all__ = [
    "LISTING_LISTS", "WAITING", "FieldErrors", "InvalidTransition", "ListingError",
    "ListingFilters", "NotAllowed", "NotYourListing", "PhotoUpload", "PhotosAdded",
    "add_good_photos", "add_photos",
    "approve_listing", "buyer_view", "change_photo", "changed_fields", "check_content",
    "check_price_and_stock", "create_listing", "edit_listing", "listing_list_options",
    "listing_list_query", "photo_audience", "remove_listing", "republish_listing",
    "request_listing_changes", "review_queue", "seller_listing", "seller_listing_page",
    "seller_listings", "submission_problems", "submit_listing", "unpublish_listing",
    "update_content", "update_price_and_stock",
]
