"""The staff lists' filters, read from their GET forms: the pages and their CSV exports share them."""

import re
from dataclasses import asdict

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from odop_bazaar.hardening import MAX_ID
from odop_bazaar.localized import with_official
from odop_bazaar.models.orders import OrderStatus, PaymentMethod
from odop_bazaar.services import sellers as seller_service
from odop_bazaar.services.catalogue import queries
from odop_bazaar.services.orders import queries as order_queries
from odop_bazaar.services.reference import places
from odop_bazaar.staff.forms import ListingQueueFilterForm, SellerQueueFilterForm


def id_or_none(value) -> int | None:
    """A filter value as an id; anything else (other scripts' digits, huge numbers) is none."""
    if value and re.fullmatch(r"[0-9]{1,10}", str(value)) and int(value) <= MAX_ID:
        return int(value)
    return None


def filter_params(filters) -> dict:
    """The filters as query parameters, for the export link and the audit note."""
    return {name: value for name, value in asdict(filters).items() if value not in (None, "")}


def place_choices(form) -> None:
    """The state and district drop-downs of a queue's filter form."""
    form.state.choices = [SelectChoice("", _("Any state"))] + [
        SelectChoice(str(s.lgd_code), with_official(s)) for s in places.all_states()]
    form.district.choices = [SelectChoice("", _("Any district"))] + [
        SelectChoice(str(d.lgd_code), with_official(d))
        for d in places.districts_of(id_or_none(form.state.data))]


def seller_filters(form: SellerQueueFilterForm) -> seller_service.QueueFilters:
    """The seller list's filters from its GET form (the page and its export share them)."""
    status = form.status.data if form.status.data in seller_service.SELLER_LISTS else None
    return seller_service.QueueFilters(
        state=id_or_none(form.state.data), district=id_or_none(form.district.data),
        seller_type=form.seller_type.data or None, sector=form.sector.data or None,
        status=status or seller_service.WAITING)


def listing_filters(form: ListingQueueFilterForm) -> queries.ListingFilters:
    """The listing list's filters from its GET form (the page and its export share them)."""
    status = form.status.data if form.status.data in queries.LISTING_LISTS else None
    return queries.ListingFilters(
        state=id_or_none(form.state.data), district=id_or_none(form.district.data),
        sector=form.sector.data or None, seller=id_or_none(form.seller.data),
        status=status or queries.WAITING)


def order_filters(args) -> order_queries.StaffFilters:
    """The order list's filters from its query string (the page and its export share them)."""
    status = args.get("status")
    payment = args.get("payment")
    return order_queries.StaffFilters(
        status=status if status in {s.value for s in OrderStatus} else None,
        state=id_or_none(args.get("state")), seller=id_or_none(args.get("seller")),
        payment=payment if payment in {m.value for m in PaymentMethod} else None)
