"""Listings: sellers list their district's ODOP products; staff moderate what buyers will see.

Price, MRP, stock and availability change at once. Title, description, photos, product and the
declarations are content: a change to a live listing makes a new draft version, and buyers go on
seeing the approved version until staff approve the change.
"""

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.identifiers import InvalidIdentifier, ascii_digits
from odop_bazaar.models.accounts import User
from odop_bazaar.models.catalogue import (
    GST_RATES,
    LISTING_TRANSITIONS,
    Listing,
    ListingContent,
    ListingPhoto,
    ListingStatus,
    ReasonCode,
    Unit,
)
from odop_bazaar.models.reference import District, OdopProduct
from odop_bazaar.models.sellers import Seller
from odop_bazaar.money import parse_rupees
from odop_bazaar.services import workflow
from odop_bazaar.services.accounts.staff_scope import Scope, scope_of
from odop_bazaar.services.catalogue import search
from odop_bazaar.services.catalogue.images import SIZES, PhotoRefused, process_photo
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.storage import storage

MAX_PHOTOS = 8
_CENTIMETRES = _l("Enter a whole number of centimetres, from 1 to 1000.")
MAX_STOCK = 1_000_000
CONTENT_FIELDS = (
    "odop_product_id", "title", "description", "unit", "net_quantity_milli", "hsn_code",
    "gst_rate", "weight_grams", "length_cm", "width_cm", "height_cm", "country_of_origin",
    "prepackaged", "manufacturer_name", "manufacturer_address", "manufactured_month",
    "consumer_care",
)
DECLARATION_FIELDS = ("manufacturer_name", "manufacturer_address", "manufactured_month",
                      "consumer_care")


class ListingError(DomainError):
    pass


class NotYourListing(ListingError):
    pass


class NotAllowed(ListingError):
    pass


# --- Checking answers -----------------------------------------------------------------------

def _int_in(data: dict, name: str, low: int, high: int, errors: dict, message) -> int | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    text = ascii_digits(str(value)).strip()
    if not re.fullmatch(r"[0-9]{1,9}", text) or not low <= int(text) <= high:
        errors[name] = message
        return None
    return int(text)


def _net_quantity(value, errors: dict) -> int | None:
    text = ascii_digits(str(value or "")).strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,6}(\.[0-9]{1,3})?", text) or float(text) <= 0:
        errors["net_quantity"] = _l("Enter the quantity as a number, like 1, 500 or 1.5.")
        return None
    whole, _, fraction = text.partition(".")
    return int(whole) * 1000 + int((fraction + "000")[:3])


def check_content(seller: Seller, data: dict[str, Any]) -> dict[str, Any]:
    """The content answers, checked. Half-done is fine until the listing is submitted.

    Raises:
        FieldErrors: an answer breaks a rule.
    """
    errors: dict[str, Any] = {}
    product_id = data.get("odop_product_id")
    own = {product.id for product in seller.products if product.retired_at is None}
    if product_id not in own:
        errors["odop_product_id"] = _l(
            "Choose one of the ODOP products you registered for your district.")
    # Stored normalised (NFC, no joiners), so search finds it however it was typed. NFC can
    # lengthen text (क़ U+0958 becomes क + ़), so the limits apply to what is stored: cutting
    # it to fit would lose what the seller typed.
    title = search.normalise(data.get("title") or "").strip()
    if not title:
        errors["title"] = _l("Give the listing a title.")
    elif len(title) > 120:
        errors["title"] = _l("Use at most %(n)d characters.", n=120)
    description = search.normalise(data.get("description") or "").strip()
    if len(description) > 5000:
        errors["description"] = _l("Use at most %(n)d characters.", n=5000)
    unit = data.get("unit") or Unit.PIECE.value
    if unit not in {u.value for u in Unit}:
        errors["unit"] = _l("Choose a unit from the list.")
    gst_rate = data.get("gst_rate")
    gst_rate = int(gst_rate) if str(gst_rate) in {str(r) for r in GST_RATES} else None
    if gst_rate is None:
        errors["gst_rate"] = _l("Choose the GST rate: 0, 5, 12, 18 or 28 %.")
    hsn = ascii_digits(data.get("hsn_code") or "").replace(" ", "")
    if hsn and not re.fullmatch(r"[0-9]{4}|[0-9]{6}|[0-9]{8}", hsn):
        errors["hsn_code"] = _l("An HSN code has 4, 6 or 8 digits.")
    month = (data.get("manufactured_month") or "").strip()
    if month and not re.fullmatch(r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])", month):
        errors["manufactured_month"] = _l("Enter the month as YYYY-MM, like 2026-10.")
    values = {
        "odop_product_id": product_id,
        "title": title,
        "description": description,
        "unit": unit,
        "net_quantity_milli": _net_quantity(data.get("net_quantity"), errors) or 1000,
        "hsn_code": hsn or None,
        "gst_rate": gst_rate,
        "weight_grams": _int_in(data, "weight_grams", 1, 100_000, errors,
                                _l("Enter the weight in grams, from 1 to 100000.")),
        "length_cm": _int_in(data, "length_cm", 1, 1000, errors, _CENTIMETRES),
        "width_cm": _int_in(data, "width_cm", 1, 1000, errors, _CENTIMETRES),
        "height_cm": _int_in(data, "height_cm", 1, 1000, errors, _CENTIMETRES),
        # Shown to buyers as the e-commerce rules require: a blank answer means India, where
        # every ODOP product is made. (The form holds it to 60 characters.)
        "country_of_origin": (data.get("country_of_origin") or "").strip() or "India",
        "prepackaged": bool(data.get("prepackaged")),
        "manufactured_month": month or None,
    }
    for name in ("manufacturer_name", "manufacturer_address", "consumer_care"):
        values[name] = (data.get(name) or "").strip()[:400] or None
    if not values["prepackaged"]:
        for name in DECLARATION_FIELDS:
            values[name] = None
    if errors:
        raise FieldErrors(errors)
    return values


def check_price_and_stock(data: dict[str, Any]) -> dict[str, Any]:
    """Price, MRP (rupees in, paise out), stock and made-to-order, checked.

    Raises:
        FieldErrors: an answer breaks a rule.
    """
    errors: dict[str, Any] = {}
    prices = {}
    for name in ("price", "mrp"):
        try:
            prices[name] = parse_rupees(data.get(name) or "")
        except InvalidIdentifier as error:
            errors[name] = error
    if not errors and prices["price"] > prices["mrp"]:
        errors["price"] = _l("The price cannot be more than the MRP.")
    stock = _int_in(data, "stock", 0, MAX_STOCK, errors,
                    _l("Enter how many you have, from 0 to 10,00,000."))
    made_to_order = bool(data.get("made_to_order"))
    lead = _int_in(data, "lead_time_days", 1, 180, errors,
                   _l("Enter the days you need to make it, from 1 to 180."))
    if made_to_order and lead is None and "lead_time_days" not in errors:
        errors["lead_time_days"] = _l("Say how many days you need to make it.")
    if errors:
        raise FieldErrors(errors)
    return {"price_paise": prices["price"], "mrp_paise": prices["mrp"], "stock": stock or 0,
            "made_to_order": made_to_order, "lead_time_days": lead if made_to_order else None}


def submission_problems(listing: Listing) -> list[Any]:
    """What must be added before staff can review the seller's version."""
    content = listing.working_content
    problems = []
    if not content.photos:
        problems.append(_l("Add at least one photo."))
    if not content.description:
        problems.append(_l("Write a description."))
    if content.prepackaged and not all(getattr(content, name) for name in DECLARATION_FIELDS):
        problems.append(_l("Pre-packaged goods need every declaration: manufacturer or packer "
                           "name and address, month of manufacture or packing, and consumer "
                           "care contact."))
    return problems


# --- Seller actions -------------------------------------------------------------------------

def _own(seller: Seller, listing: Listing) -> None:
    if listing.seller_id != seller.id:
        raise NotYourListing(_l("That listing is not yours."))


def _lock(listing: Listing) -> None:
    workflow.lock_row(Listing, listing.id)
    db.session.refresh(listing)


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
                                height=p.height) for p in source.photos]
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
    _lock(listing)
    values = check_content(seller, content)
    current = listing.working_content
    if all(getattr(current, name) == value for name, value in values.items()):
        return False
    draft = _editable_content(listing)
    for name, value in values.items():
        setattr(draft, name, value)
    db.session.commit()
    return True


def update_price_and_stock(seller: Seller, listing: Listing, data: dict[str, Any]) -> None:
    """Change price, MRP, stock and availability; live at once. Commits.

    Raises:
        NotYourListing, NotAllowed, FieldErrors.
    """
    _own(seller, listing)
    _lock(listing)
    if listing.status == ListingStatus.REMOVED:
        raise NotAllowed(_l("Staff removed this listing, so it cannot be changed."))
    values = check_price_and_stock(data)
    seen = str(data.get("stock_seen") or "").strip()
    if seen and seen != str(listing.stock) and values["stock"] != listing.stock:
        # A sale (or another tab) changed the stock since the page was opened: saving the old
        # figure would undo it. The row lock above makes two tabs' saves one after the other
        # (on SQLite too), so the second always sees the first one's figure here.
        raise FieldErrors({"stock": _l(
            "The stock changed to %(now)d since you opened this page. Check it and save again.",
            now=listing.stock)})
    for name, value in values.items():
        setattr(listing, name, value)
    db.session.commit()


@dataclass(frozen=True)
class PhotoUpload:
    filename: str
    data: bytes


def add_photos(seller: Seller, listing: Listing, uploads: list[PhotoUpload]) -> int:
    """Check, process and add photos to the seller's version. Commits once.

    Every photo is checked before any is kept, so one bad file adds none.

    Raises:
        NotYourListing, NotAllowed, FieldErrors (key "photos").
    """
    _own(seller, listing)
    _check_content_editable(listing)  # before the slow part, not after
    current = listing.working_content
    if not uploads:
        raise FieldErrors({"photos": _l("Choose at least one photo.")})
    if len(current.photos) + len(uploads) > MAX_PHOTOS:
        raise FieldErrors({"photos": _l("A listing can have at most %(n)d photos.",
                                        n=MAX_PHOTOS)})
    processed, problems = [], []
    for upload in uploads:
        try:
            processed.append(process_photo(upload.data))
        except PhotoRefused as error:
            problems.append(f"{upload.filename[:60]}: {error}")
    if problems:
        raise FieldErrors({"photos": " ".join(problems)})
    _lock(listing)  # only around the write: processing took a while
    if len(listing.working_content.photos) + len(processed) > MAX_PHOTOS:
        raise FieldErrors({"photos": _l("A listing can have at most %(n)d photos.",
                                        n=MAX_PHOTOS)})
    draft = _editable_content(listing)
    store = storage("public")
    for photo in processed:
        for variant in photo.variants:
            key = photo.key(variant)
            if not store.exists(key):  # the same photo, uploaded before
                store.save(key, variant.data)
        draft.photos.append(ListingPhoto(position=len(draft.photos), digest=photo.digest,
                                         width=photo.width, height=photo.height))
    db.session.commit()
    return len(processed)


def change_photo(seller: Seller, listing: Listing, photo_id: int, action: str) -> None:
    """Remove a photo, move it up or down, or make it the cover. Commits.

    Raises:
        NotYourListing, NotAllowed, ListingError (unknown photo or action).
    """
    _own(seller, listing)
    _lock(listing)
    current = listing.working_content
    index = next((i for i, p in enumerate(current.photos) if p.id == photo_id), None)
    if index is None or action not in ("remove", "up", "down", "cover"):
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
        delete_unused_photo_files({photo.digest})


def submit_listing(seller: Seller, listing: Listing) -> None:
    """Send the seller's version to staff. Commits.

    Raises:
        NotYourListing, NotAllowed (not approved as a seller, nothing to review, or problems).
    """
    _own(seller, listing)
    _lock(listing)
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
    _lock(listing)
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
    _lock(listing)
    if listing.live_content_id is None or listing.has_unreviewed_changes:
        return submit_listing(seller, listing)
    if not seller.can_publish:
        raise NotAllowed(_l("You can publish listings once your seller application is "
                            "approved."))
    workflow.transition(listing, ListingStatus.APPROVED.value, table=LISTING_TRANSITIONS,
                        actor_id=seller.user_id, actor_role="seller", object_type="listing")
    db.session.commit()


def seller_listings(seller: Seller) -> list[Listing]:
    """The seller's listings, newest first, with what their pages show."""
    return list(db.session.scalars(
        select(Listing).where(Listing.seller_id == seller.id)
        .options(selectinload(Listing.draft_content).selectinload(ListingContent.photos),
                 selectinload(Listing.live_content).selectinload(ListingContent.photos))
        .order_by(Listing.created_at.desc(), Listing.id.desc())))


def seller_listing(seller: Seller, listing_id: int) -> Listing:
    """One of the seller's listings. Raises NotYourListing (also when it does not exist)."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.seller_id != seller.id:
        raise NotYourListing(_l("That listing is not yours."))
    return listing


# --- Staff moderation -------------------------------------------------------------------------

def _reasons(codes: list[str]) -> str:
    valid = [code for code in codes if code in {r.value for r in ReasonCode}]
    return ",".join(dict.fromkeys(valid))


def _same_submission(listing: Listing, seen_submission: str | None) -> None:
    """Staff decide on what they saw: refuse if the seller resubmitted since the page opened."""
    current = listing.submitted_at.isoformat() if listing.submitted_at else ""
    if seen_submission is not None and seen_submission != current:
        raise ListingError(_l("The seller changed this listing after you opened it. Look at it "
                              "again before deciding."))


def approve_listing(listing: Listing, actor: User, note: str = "",
                    seen_submission: str | None = None) -> None:
    """Make the seller's version the one buyers see. Commits.

    Raises:
        ListingError: resubmitted since staff opened it; InvalidTransition: not under review.
    """
    _lock(listing)
    _same_submission(listing, seen_submission)
    old_live = listing.live_content
    old_digests = {p.digest for p in old_live.photos} if old_live else set()
    workflow.transition(listing, ListingStatus.APPROVED.value, table=LISTING_TRANSITIONS,
                        actor_id=actor.id, actor_role="staff", object_type="listing",
                        note=note.strip())
    listing.live_content = listing.draft_content
    listing.draft_content = None
    listing.approved_at = utcnow()
    listing.first_approved_at = listing.first_approved_at or listing.approved_at
    listing.review_reasons = None
    listing.review_note = note.strip() or None
    db.session.flush()
    if old_live is not None and old_live.id != listing.live_content_id:
        db.session.delete(old_live)  # replaced: nothing points at it any more
    search.index_listing(listing)
    db.session.commit()
    delete_unused_photo_files(old_digests)


def request_listing_changes(listing: Listing, actor: User, reasons: list[str], note: str,
                            seen_submission: str | None = None) -> None:
    """Send the seller's version back with reason codes and a note. Commits.

    Raises:
        FieldErrors: no reason given; ListingError: resubmitted since staff opened it;
        InvalidTransition: not waiting for review.
    """
    _lock(listing)
    _same_submission(listing, seen_submission)
    _decide_against(listing, actor, reasons, note, ListingStatus.CHANGES_REQUESTED)


def remove_listing(listing: Listing, actor: User, reasons: list[str], note: str) -> None:
    """Take a listing off the shop for good (a prohibited item, say). Commits.

    Raises:
        FieldErrors: no reason given; InvalidTransition.
    """
    _decide_against(listing, actor, reasons, note, ListingStatus.REMOVED)


def _decide_against(listing: Listing, actor: User, reasons: list[str], note: str,
                    to_status: ListingStatus) -> None:
    _lock(listing)
    codes = _reasons(reasons)
    if not codes and not note.strip():
        raise FieldErrors({"reasons": _l("Choose a reason, or write a note for the seller.")})
    workflow.transition(listing, to_status.value, table=LISTING_TRANSITIONS, actor_id=actor.id,
                        actor_role="staff", object_type="listing",
                        note="; ".join(filter(None, [codes, note.strip()])))
    listing.review_reasons = codes or None
    listing.review_note = note.strip() or None
    db.session.commit()


# The listing lists staff can ask for: the review queue (the default) or one other status.
WAITING = "waiting"
LISTING_LISTS: dict[str, tuple[ListingStatus, ...] | None] = {
    WAITING: (ListingStatus.SUBMITTED,),
    "live": (ListingStatus.APPROVED,),
    "changes_requested": (ListingStatus.CHANGES_REQUESTED,),
    "unpublished": (ListingStatus.UNPUBLISHED,),
    "removed": (ListingStatus.REMOVED,),
    "draft": (ListingStatus.DRAFT,),
    "all": None,
}


@dataclass
class ListingFilters:
    state: int | None = None
    district: int | None = None
    sector: str | None = None
    seller: int | None = None
    status: str = WAITING  # a key of LISTING_LISTS; anything else is the review queue


def listing_list_query(filters: ListingFilters, scope: Scope):
    """Listings of sellers in the staff member's places that match the filters, in list order:
    the review queue oldest submission first, other lists newest first. Place and sector are
    those of the product in the seller's current version."""
    statuses = LISTING_LISTS.get(filters.status, LISTING_LISTS[WAITING])
    query = (select(Listing)
             .join(ListingContent, ListingContent.id == func.coalesce(
                 Listing.draft_content_id, Listing.live_content_id))
             .join(OdopProduct, OdopProduct.id == ListingContent.odop_product_id)
             .join(District, District.lgd_code == OdopProduct.district_lgd_code)
             .where(Listing.seller_id.in_(scope.seller_ids())))
    if statuses is not None:
        query = query.where(Listing.status.in_([s.value for s in statuses]))
    if filters.state:
        query = query.where(District.state_lgd_code == filters.state)
    if filters.district:
        query = query.where(District.lgd_code == filters.district)
    if filters.sector:
        query = query.where(OdopProduct.sector == filters.sector)
    if filters.seller:
        query = query.where(Listing.seller_id == filters.seller)
    if statuses == LISTING_LISTS[WAITING]:
        return query.order_by(Listing.submitted_at, Listing.id)
    return query.order_by(Listing.id.desc())


def listing_list_options():
    """What a page or an export of staff listings shows, loaded in a few queries."""
    product = (selectinload(Listing.draft_content).selectinload(ListingContent.odop_product)
               .selectinload(OdopProduct.district).selectinload(District.state))
    live_product = (selectinload(Listing.live_content).selectinload(ListingContent.odop_product)
                    .selectinload(OdopProduct.district).selectinload(District.state))
    return (selectinload(Listing.seller).selectinload(Seller.user), product, live_product)


def review_queue(filters: ListingFilters, scope: Scope, *,
                 limit: int = 200) -> tuple[list[Listing], int]:
    """Listings of sellers in the reviewer's places matching the filters (by default those
    waiting for review, oldest first), up to limit, and how many match."""
    query = listing_list_query(filters, scope)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    query = query.limit(limit).options(
        *listing_list_options(),
        selectinload(Listing.draft_content).selectinload(ListingContent.photos),
        selectinload(Listing.live_content).selectinload(ListingContent.photos))
    return list(db.session.scalars(query)), total


def changed_fields(listing: Listing) -> set[str]:
    """Which content fields (and 'photos') differ between the live and the seller's version."""
    live, draft = listing.live_content, listing.draft_content
    if live is None or draft is None:
        return set()
    changed = {name for name in CONTENT_FIELDS if getattr(live, name) != getattr(draft, name)}
    if [p.digest for p in live.photos] != [p.digest for p in draft.photos]:
        changed.add("photos")
    return changed


def delete_unused_photo_files(digests: set[str]) -> None:
    """Delete the stored files of photos no listing version uses any more."""
    if not digests:
        return
    used = set(db.session.scalars(select(ListingPhoto.digest).where(
        ListingPhoto.digest.in_(digests))))
    store = storage("public")
    for digest in digests - used:
        for size in SIZES:
            for extension in ("webp", "jpg"):
                store.delete(f"photos/{digest[:2]}/{digest}-{size}.{extension}")


def photo_audience(digest: str, user) -> str | None:
    """Who may see a photo: 'public' when a listing buyers can see shows it, 'private' for its
    seller and staff while it is only in a draft, None for anyone else."""
    rows = db.session.execute(
        select(Listing, ListingPhoto.content_id)
        .join(ListingContent, ListingContent.id == ListingPhoto.content_id)
        .join(Listing, (Listing.live_content_id == ListingContent.id)
              | (Listing.draft_content_id == ListingContent.id))
        .where(ListingPhoto.digest == digest)).all()
    if any(listing.live_content_id == content_id and listing.is_visible_to_buyers
           for listing, content_id in rows):
        return "public"
    if user is not None and user.is_authenticated and rows and (
            any(scope_of(user).covers_seller(listing.seller) or listing.seller.user_id == user.id
                for listing, _ in rows)):
        return "private"
    return None


def buyer_view(listing_id: int) -> tuple[Listing, ListingContent] | None:
    """What a buyer may see of a listing: its approved version, if it is on the shop."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not listing.is_visible_to_buyers:
        return None
    return listing, listing.live_content

