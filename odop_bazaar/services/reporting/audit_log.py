"""The audit log as administrators read it: filtered, newest first, a page at a time.

Pages are found by entry number (keyset paging: "the 50 before entry 1234"), so no page counts
the whole table or skips over thousands of rows, however long the log grows.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from odop_bazaar.db_types import INDIA
from odop_bazaar.extensions import db
from odop_bazaar.hardening import MAX_ID
from odop_bazaar.identifiers import ascii_digits
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.catalogue import Listing, ListingStatus
from odop_bazaar.models.checklist import SectionKey, SectionStatus
from odop_bazaar.models.orders import CheckoutState, Order, OrderStatus, RefundStatus
from odop_bazaar.models.sellers import Seller, SellerStatus
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.services.accounts.users import AccountError, normalise_email
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.sellers import SPEC

PAGE_SIZE = 50
SYSTEM = "system"
# What the workflows write to the log (the object_type of each `record` call).
OBJECT_TYPES = {
    "seller": _l("Seller"),
    "listing": _l("Listing"),
    "order": _l("Order"),
    "checkout": _l("Checkout"),
    "refund": _l("Refund"),
    "user": _l("Account"),
    "setting": _l("Setting"),
    "export": _l("Export"),
    "reference_list": _l("ODOP list"),
}
_USER_STATES = {"active": _l("Active"), "suspended": _l("Suspended")}
_ACTIONS = {
    "status": _l("Status changed"),
    "created": _l("Created"),
    "placed": _l("Order placed"),
    "state": _l("Checkout changed"),
    "refund_late_payment": _l("Payment came too late: refunded"),
    "scope": _l("Places changed"),
    "role": _l("Role changed"),
    "import": _l("ODOP list imported"),
    "export:sellers": _l("Sellers exported"),
    "export:listings": _l("Listings exported"),
    "export:orders": _l("Orders exported"),
    "export:payouts": _l("Payout file for the bank downloaded"),
    "payout": _l("Payout recorded"),
    "correction": _l("Ledger corrected"),
}
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_INDIAN_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    system_only: bool = False  # entries no person made (payments, expiry, imports)
    object_type: str | None = None
    object_id: int | None = None
    action: str | None = None
    since: datetime | None = None  # UTC, included
    until: datetime | None = None  # UTC, not included


def _day(text: str) -> date | None:
    """A date typed as 2026-11-23 or, the Indian way, 23/11/2026; None if not a real date."""
    text = ascii_digits(text).strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _INDIAN_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if EARLIEST_YEAR <= value.year <= LATEST_YEAR else None


def start_of_day_utc(day: date) -> datetime:
    """The moment a day in India begins, in UTC (midnight IST is 18:30 UTC the day before)."""
    return datetime(day.year, day.month, day.day, tzinfo=INDIA).astimezone(UTC)


def make_filters(*, actor: str = "", object_type: str = "", object_id: str = "",
                 action: str = "", date_from: str = "", date_to: str = "") -> AuditFilters:
    """Filters from what an administrator typed; dates are days in India (IST).

    Raises:
        FieldErrors: keyed by the filter's name: an address with no account, a number that is
        not one, a date that is not a date, or a range that ends before it starts.
    """
    errors: dict[str, Any] = {}
    actor_id, system_only = None, False
    actor = (actor or "").strip()
    if actor.lower() == SYSTEM:
        system_only = True
    elif actor:
        try:
            email = normalise_email(actor)
        except AccountError:
            errors["actor"] = _l("Enter an email address like name@example.com, or “system”.")
        else:
            actor_id = db.session.scalar(select(User.id).where(User.email == email))
            if actor_id is None:
                errors["actor"] = _l("No account has the email address %(email)s.", email=email)
    number = None
    object_id = ascii_digits(object_id or "").strip()
    if object_id:
        if re.fullmatch(r"[0-9]{1,10}", object_id) and int(object_id) <= MAX_ID:
            number = int(object_id)
        else:
            errors["object_id"] = _l("Enter the object's number, like 42.")
    days = {}
    for name, text in (("date_from", date_from), ("date_to", date_to)):
        if (text or "").strip():
            days[name] = _day(text)
            if days[name] is None:
                errors[name] = _l("Enter a real date, like 2026-11-23.")
    if days.get("date_from") and days.get("date_to") and days["date_to"] < days["date_from"]:
        errors["date_to"] = _l("The end date must be the same as or later than the start date.")
    if errors:
        raise FieldErrors(errors)
    return AuditFilters(
        actor_id=actor_id, system_only=system_only,
        object_type=object_type if object_type in OBJECT_TYPES else None, object_id=number,
        action=(action or "").strip().lower()[:40] or None,
        since=start_of_day_utc(days["date_from"]) if days.get("date_from") else None,
        until=(start_of_day_utc(days["date_to"] + timedelta(days=1))
               if days.get("date_to") else None))


def _where(query, filters: AuditFilters):
    if filters.system_only:
        query = query.where(AuditEntry.actor_id.is_(None))
    elif filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.since:
        query = query.where(AuditEntry.created_at >= filters.since)
    if filters.until:
        query = query.where(AuditEntry.created_at < filters.until)
    return query


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    object_label: Any
    action_label: Any
    from_label: Any
    to_label: Any
    # What the row's object page needs, when there is one the viewer may open: ("seller",
    # {"seller_id": 7}), ("listing", {...}), ("user", {...}) or ("order", {"reference": ...,
    # "order_id": ...}).
    target: tuple[str, dict] | None


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    newer: int | None  # the first entry on this page, when newer ones match: "previous page"
    older: int | None  # the last entry on this page, when older ones match: "next page"


def audit_page(filters: AuditFilters, scope: Scope, *, before: int | None = None,
               after: int | None = None, size: int = PAGE_SIZE) -> AuditPage:
    """A page of matching entries, newest first: the newest page, or the entries just before
    (older than) entry `before`, or just after (newer than) entry `after`."""
    query = _where(select(AuditEntry), filters).options(selectinload(AuditEntry.actor))
    if after is not None:
        found = list(db.session.scalars(query.where(AuditEntry.id > after)
                                        .order_by(AuditEntry.id).limit(size + 1)))
        entries = list(reversed(found[:size]))
        has_newer = len(found) > size
        has_older = bool(entries) and _any(filters, AuditEntry.id < entries[-1].id)
    else:
        if before is not None:
            query = query.where(AuditEntry.id < before)
        found = list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(size + 1)))
        entries = found[:size]
        has_older = len(found) > size
        has_newer = (before is not None and bool(entries)
                     and _any(filters, AuditEntry.id > entries[0].id))
    return AuditPage(_rows(entries, scope), entries[0].id if has_newer else None,
                     entries[-1].id if has_older else None)


def _any(filters: AuditFilters, condition) -> bool:
    return bool(db.session.scalar(select(exists(_where(select(AuditEntry.id), filters)
                                                .where(condition)))))


def _rows(entries: list[AuditEntry], scope: Scope) -> list[AuditRow]:
    ids = {kind: {e.object_id for e in entries if e.object_type == kind}
           for kind in ("seller", "listing", "order", "user")}
    targets: dict[tuple[str, int], tuple[str, dict]] = {}
    if ids["user"] and scope.all_india:  # accounts are managed by administrators
        for user_id in db.session.scalars(select(User.id).where(User.id.in_(ids["user"]))):
            targets["user", user_id] = ("user", {"user_id": user_id})
    if ids["seller"]:
        for seller_id in db.session.scalars(select(Seller.id).where(
                Seller.id.in_(ids["seller"]), scope.seller_filter())):
            targets["seller", seller_id] = ("seller", {"seller_id": seller_id})
    if ids["listing"]:
        for listing_id in db.session.scalars(select(Listing.id).where(
                Listing.id.in_(ids["listing"]), Listing.seller_id.in_(scope.seller_ids()))):
            targets["listing", listing_id] = ("listing", {"listing_id": listing_id})
    if ids["order"]:
        # The invoice is the order's page for staff; an order has one while it counts as sold.
        for order in db.session.scalars(
                select(Order).where(Order.id.in_(ids["order"]),
                                    Order.seller_id.in_(scope.seller_ids()),
                                    Order.status.in_(OrderStatus.SOLD))
                .options(selectinload(Order.checkout))):
            targets["order", order.id] = ("order", {"reference": order.checkout.reference,
                                                    "order_id": order.id})
    return [AuditRow(entry, OBJECT_TYPES.get(entry.object_type, entry.object_type),
                     action_label(entry.action),
                     status_label(entry, entry.from_status), status_label(entry, entry.to_status),
                     targets.get((entry.object_type, entry.object_id)))
            for entry in entries]


def action_label(action: str):
    """An action code in words, where there are words for it (else the code)."""
    if action in _ACTIONS:
        return _ACTIONS[action]
    if action.startswith("section:"):
        try:
            return _l("Section decided: %(section)s",
                      section=SPEC[SectionKey(action.removeprefix("section:"))].title)
        except ValueError:
            return action
    return action


def status_label(entry: AuditEntry, value: str | None):
    """A status as stored in an entry, in words for the kind of object it belongs to."""
    if not value:
        return ""
    if entry.object_type == "seller":
        kind = SectionStatus if entry.action.startswith("section:") else SellerStatus
    else:
        kind = {"listing": ListingStatus, "order": OrderStatus, "checkout": CheckoutState,
                "refund": RefundStatus}.get(entry.object_type)
    if kind is not None:
        try:
            return kind(value).label
        except ValueError:
            return value
    if entry.object_type == "user":
        return _USER_STATES.get(value) or (Role(value).label if value in set(Role) else value)
    return value
