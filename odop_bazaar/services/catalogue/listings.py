"""Listings: what a seller does with their own listings (create, edit, photos, send for review).

Price, MRP, stock and availability change at once. Title, description, photos, product and the
declarations are content: a change to a live listing makes a new draft version, and buyers go on
seeing the approved version until staff approve the change (services/catalogue/moderation.py).
Every function here commits once.
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import (
    CONTENT_FIELDS,
    LISTING_TRANSITIONS,
    MAX_PHOTOS,
    Listing,
    ListingContent,
    ListingPhoto,
    ListingStatus,
    PhotoStatus,
)
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services import workflow
from odop_bazaar.services.catalogue.checks import (
    PRICE_ANSWERS,
    check_content,
    check_price_and_stock,
    content_answers,
    price_answers,
    submission_problems,
)
from odop_bazaar.services.catalogue.errors import ListingError, NotAllowed, NotYourListing
from odop_bazaar.services.catalogue.images import PhotoUpload, check_uploads, upload_refusals
from odop_bazaar.services.catalogue.photo_files import delete_unused_photo_files
from odop_bazaar.services.catalogue.photo_jobs import ORIGINALS, queue_photos
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.storage import storage

PHOTO_ACTIONS = ("remove", "up", "down", "cover")


def lock_listing(listing: Listing) -> None:
    """Take the listing's row lock and read it again, so the checks that follow see what
    others (a sale, another tab, another reviewer) have committed."""
    workflow.lock_row(Listing, listing.id)
    db.session.refresh(listing)


def _own(seller: Seller, listing: Listing) -> None:
    if listing.seller_id != seller.id:
        raise NotYourListing(_l("That listing is not yours."))


def _check_content_editable(listing: Listing) -> None:
    if listing.status == ListingStatus.REMOVED:
        raise NotAllowed(_l("Staff removed this listing, so it cannot be changed."))
    if listing.status == ListingStatus.SUBMITTED:
        raise NotAllowed(_l("This listing is waiting for review. You can change its price and "
                            "stock now, and the rest after the review."))


def _editable_content(listing: Listing) -> ListingContent:
    """The draft to change: a copy of the live version when the draft is what buyers see."""
    _check_content_editable(listing)
    if listing.draft_content is not None and listing.draft_content_id != listing.live_content_id:
        return listing.draft_content
    source = listing.live_content
    copy = ListingContent(**{name: getattr(source, name) for name in CONTENT_FIELDS})
    copy.photos = [ListingPhoto(position=p.position, digest=p.digest, width=p.width,
                                height=p.height, status=p.status, failure=p.failure)
                   for p in source.photos]
    db.session.add(copy)
    listing.draft_content = copy
    return copy


def create_listing(seller: Seller, content: dict[str, Any], prices: dict[str, Any]) -> Listing:
    """A new draft listing. Commits.

    Raises:
        NotAllowed: the seller is not approved; FieldErrors: an answer breaks a rule.
    """
    if not seller.can_publish:
        raise NotAllowed(_l("You can list products once your seller application is approved."))
    errors: dict[str, Any] = {}
    try:
        content_values = check_content(seller, content)
    except FieldErrors as error:
        errors.update(error.errors)
    try:
        price_values = check_price_and_stock(prices)
    except FieldErrors as error:
        errors.update(error.errors)
    if errors:
        raise FieldErrors(errors)
    draft = ListingContent(**content_values)
    listing = Listing(seller_id=seller.id, status=ListingStatus.DRAFT.value, draft_content=draft,
                      **price_values)
    db.session.add_all([draft, listing])
    db.session.flush()
    workflow.record(actor_id=seller.user_id, object_type="listing", object_id=listing.id,
                    action="created", to_status=listing.status)
    db.session.commit()
    return listing


def update_content(seller: Seller, listing: Listing, content: dict[str, Any]) -> bool:
    """Change the seller's version of the content. Commits. Returns whether anything changed.

    Raises:
        NotYourListing, NotAllowed, FieldErrors.
    """
    _own(seller, listing)
    lock_listing(listing)
    return _save_edit(seller, listing, content, None)


def update_price_and_stock(seller: Seller, listing: Listing, data: dict[str, Any]) -> None:
    """Change price, MRP, stock and availability; live at once. Commits.

    Raises:
        NotYourListing, NotAllowed, FieldErrors.
    """
    _own(seller, listing)
    lock_listing(listing)
    _save_edit(seller, listing, None, data)


def edit_listing(seller: Seller, listing: Listing, changes: dict[str, Any]) -> bool:
    """Change any content, price and stock answers in one save; answers not given keep their
    current values. Every answer is checked before anything is saved, so a refused price does
    not leave a changed title behind (or the other way round). Commits. Returns whether the
    content changed (then it waits for review when the listing has a live version).

    Raises:
        NotYourListing, NotAllowed, FieldErrors (every refused answer at once).
    """
    _own(seller, listing)
    lock_listing(listing)
    prices = {name: value for name, value in changes.items() if name in PRICE_ANSWERS}
    content = {name: value for name, value in changes.items() if name not in PRICE_ANSWERS}
    return _save_edit(seller, listing,
                      content_answers(listing) | content if content else None,
                      price_answers(listing, prices) | prices if prices else None)


def _save_edit(seller: Seller, listing: Listing, content: dict[str, Any] | None,
               prices: dict[str, Any] | None) -> bool:
    """Check and save content and/or prices of a listing already locked; commits once."""
    if prices is not None and listing.status == ListingStatus.REMOVED:
        raise NotAllowed(_l("Staff removed this listing, so it cannot be changed."))
    errors: dict[str, Any] = {}
    content_values = (_checked(errors, check_content, seller, content)
                      if content is not None else None)
    price_values = _checked(errors, check_price_and_stock, prices) if prices is not None else None
    if price_values is not None:
        _check_stock_seen(listing, prices, price_values["stock"], errors)
    if errors:
        raise FieldErrors(errors)
    changed = content_values is not None and any(
        getattr(listing.working_content, name) != value for name, value in content_values.items())
    if changed:
        draft = _editable_content(listing)
        for name, value in content_values.items():
            setattr(draft, name, value)
    for name, value in (price_values or {}).items():
        setattr(listing, name, value)
    db.session.commit()
    return changed


def _checked(errors: dict[str, Any], check, *args) -> dict[str, Any] | None:
    try:
        return check(*args)
    except FieldErrors as error:
        errors.update(error.errors)
        return None


def _check_stock_seen(listing: Listing, data: dict[str, Any], stock: int, errors: dict) -> None:
    seen = str(data.get("stock_seen") or "").strip()
    if seen and seen != str(listing.stock) and stock != listing.stock:
        # A sale (or another tab) changed the stock since the page was opened: saving the old
        # figure would undo it. The row lock taken before makes two tabs' saves one after the
        # other (on SQLite too), so the second always sees the first one's figure here.
        errors["stock"] = _l(
            "The stock changed to %(now)d since you opened this page. Check it and save again.",
            now=listing.stock)


def _check_room_for(listing: Listing, count: int) -> None:
    if len(listing.working_content.photos) + count > MAX_PHOTOS:
        raise FieldErrors({"photos": _l("A listing can have at most %(n)d photos.",
                                        n=MAX_PHOTOS)})


def add_photos(seller: Seller, listing: Listing, uploads: list[PhotoUpload]) -> int:
    """Check what is cheap to check, keep the originals privately and add the photos to the
    seller's version as "processing"; commits once, then hands each to the photo job
    (services/catalogue/photo_jobs.py), which makes the sizes or reports why it could not.

    Every photo is checked before any is kept, so one file refused here adds none.

    Raises:
        NotYourListing, NotAllowed, FieldErrors (key "photos").
    """
    _own(seller, listing)
    _check_content_editable(listing)
    if not uploads:
        raise FieldErrors({"photos": _l("Choose at least one photo.")})
    _check_room_for(listing, len(uploads))
    check_uploads(uploads)
    originals = _keep_originals(uploads)  # before the lock: writing files takes a while
    try:
        lock_listing(listing)
        _check_room_for(listing, len(uploads))
        draft = _editable_content(listing)
        added = []
        for upload, key in zip(uploads, originals, strict=True):
            added.append(ListingPhoto(
                position=len(draft.photos), digest=hashlib.sha256(upload.data).hexdigest(),
                width=0, height=0, status=PhotoStatus.PROCESSING.value, original_key=key))
            draft.photos.append(added[-1])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for key in originals:
            storage("private").delete(key)
        raise
    # After the commit: a worker may start at once and must see the rows.
    queue_photos([photo.id for photo in added])
    return len(added)


@dataclass
class PhotosAdded:
    """What add_good_photos() did: how many photos it added, and why it refused the others."""

    added: int
    refused: list[str]


def add_good_photos(seller: Seller, listing: Listing, uploads: list[PhotoUpload]) -> PhotosAdded:
    """add_photos() of the uploads that pass their checks, and the reasons for the others: a
    seller who chose six photos, one of them too large, keeps the five and is told about one.
    Commits once (when any passed).

    Raises:
        NotYourListing, NotAllowed, FieldErrors (key "photos"): none passed, or too many.
    """
    if not uploads:
        return PhotosAdded(add_photos(seller, listing, uploads), [])  # refused: choose one
    refused = upload_refusals(uploads)
    good = [upload for position, upload in enumerate(uploads) if position not in refused]
    if not good:
        raise FieldErrors({"photos": " ".join(refused.values())})
    return PhotosAdded(add_photos(seller, listing, good), list(refused.values()))


def _keep_originals(uploads: list[PhotoUpload]) -> list[str]:
    """Each upload's bytes in private storage under a random key; the keys."""
    store, keys = storage("private"), []
    for upload in uploads:
        keys.append(f"{ORIGINALS}/{secrets.token_hex(16)}")
        store.save(keys[-1], upload.data)
    return keys


def change_photo(seller: Seller, listing: Listing, photo_id: int, action: str) -> None:
    """Remove a photo, move it up or down, or make it the cover. Commits.

    Raises:
        NotYourListing, NotAllowed, ListingError (unknown photo or action).
    """
    _own(seller, listing)
    lock_listing(listing)
    current = listing.working_content
    index = next((i for i, p in enumerate(current.photos) if p.id == photo_id), None)
    if index is None or action not in PHOTO_ACTIONS:
        raise ListingError(_l("That photo is not in this listing."))
    draft = _editable_content(listing)
    photos = list(draft.photos)  # the copy keeps the order, so the index still points right
    photo = photos.pop(index)
    if action == "up":
        photos.insert(max(index - 1, 0), photo)
    elif action == "down":
        photos.insert(min(index + 1, len(photos)), photo)
    elif action == "cover":
        photos.insert(0, photo)
    else:
        draft.photos.remove(photo)
    for position, each in enumerate(photos):
        each.position = position
    draft.photos = photos
    db.session.commit()
    if action == "remove":
        if photo.original_key:  # still processing, or failed: its job finds no row and stops
            storage("private").delete(photo.original_key)
        delete_unused_photo_files({photo.digest})


def submit_listing(seller: Seller, listing: Listing) -> None:
    """Send the seller's version to staff. Commits.

    Raises:
        NotYourListing, NotAllowed (not approved as a seller, nothing to review, or problems).
    """
    _own(seller, listing)
    lock_listing(listing)
    if not seller.can_publish:
        raise NotAllowed(_l("You can publish listings once your seller application is "
                            "approved."))
    if listing.status == ListingStatus.APPROVED and not listing.has_unreviewed_changes:
        raise NotAllowed(_l("There are no changes to review."))
    problems = submission_problems(listing)
    if problems:
        raise NotAllowed(" ".join(str(problem) for problem in problems))
    if listing.draft_content is None:
        _editable_content(listing)
    listing.submitted_at = utcnow()
    workflow.transition(listing, ListingStatus.SUBMITTED.value, table=LISTING_TRANSITIONS,
                        actor_id=seller.user_id, actor_role="seller", object_type="listing")
    db.session.commit()


def unpublish_listing(seller: Seller, listing: Listing) -> None:
    """Take a listing off the shop. Commits. Raises NotYourListing, InvalidTransition."""
    _own(seller, listing)
    lock_listing(listing)
    workflow.transition(listing, ListingStatus.UNPUBLISHED.value, table=LISTING_TRANSITIONS,
                        actor_id=seller.user_id, actor_role="seller", object_type="listing")
    db.session.commit()


def republish_listing(seller: Seller, listing: Listing) -> None:
    """Put an unpublished listing back on the shop.

    Its last approved version goes back at once (staff approved it); changes made since go to
    review like any edit of a live listing, and replace it only once staff approve them.

    Raises:
        NotYourListing, NotAllowed, InvalidTransition.
    """
    _own(seller, listing)
    lock_listing(listing)
    if listing.live_content_id is None or listing.has_unreviewed_changes:
        return submit_listing(seller, listing)
    if not seller.can_publish:
        raise NotAllowed(_l("You can publish listings once your seller application is "
                            "approved."))
    workflow.transition(listing, ListingStatus.APPROVED.value, table=LISTING_TRANSITIONS,
                        actor_id=seller.user_id, actor_role="seller", object_type="listing")
    db.session.commit()
