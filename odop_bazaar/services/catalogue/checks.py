"""The rules a listing's answers must meet: content, price and stock, and what a submission needs.

Each check takes what the person typed and returns the values to store, or raises FieldErrors
with a message for every answer that breaks a rule.
"""

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar.identifiers import InvalidIdentifier, ascii_digits
from odop_bazaar.models.catalogue import (
    CONTENT_FIELDS,
    DECLARATION_FIELDS,
    GST_RATES,
    Listing,
    PhotoStatus,
    Unit,
)
from odop_bazaar.models.sellers import Seller
from odop_bazaar.money import check_paise, parse_rupees, quantity_text
from odop_bazaar.services.catalogue import search
from odop_bazaar.services.errors import FieldErrors

MAX_STOCK = 1_000_000
# The answers of price and stock (the rest of a listing's answers are its content).
PRICE_ANSWERS = frozenset({"price", "mrp", "price_paise", "mrp_paise", "stock", "made_to_order",
                           "lead_time_days", "stock_seen"})
# The longest declaration each column holds (models.catalogue.ListingContent).
DECLARATION_LENGTHS = {"manufacturer_name": 200, "manufacturer_address": 400,
                       "consumer_care": 200}
_CENTIMETRES = _l("Enter a whole number of centimetres, from 1 to 1000.")


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


def _own_product(seller: Seller, product_id, errors: dict):
    own = {product.id for product in seller.products if product.retired_at is None}
    if product_id not in own:
        errors["odop_product_id"] = _l(
            "Choose one of the ODOP products you registered for your district.")
    return product_id


def _title_and_description(data: dict, errors: dict) -> dict[str, str]:
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
    values = {"title": title, "description": description}
    # The same in Hindi, if the seller writes them: each language shows its own, else English.
    for name, most in (("title_hi", 120), ("description_hi", 5000)):
        text = search.normalise(data.get(name) or "").strip()
        if len(text) > most:
            errors[name] = _l("Use at most %(n)d characters.", n=most)
        values[name] = text or None
    return values


def _unit(value, errors: dict) -> str:
    unit = value or Unit.PIECE.value
    if unit not in {u.value for u in Unit}:
        errors["unit"] = _l("Choose a unit from the list.")
    return unit


def _gst_rate(value, errors: dict) -> int | None:
    gst_rate = int(value) if str(value) in {str(r) for r in GST_RATES} else None
    if gst_rate is None:
        errors["gst_rate"] = _l("Choose the GST rate: 0, 5, 12, 18 or 28 %.")
    return gst_rate


def _hsn_code(value, errors: dict) -> str | None:
    hsn = ascii_digits(value or "").replace(" ", "")
    if hsn and not re.fullmatch(r"[0-9]{4}|[0-9]{6}|[0-9]{8}", hsn):
        errors["hsn_code"] = _l("An HSN code has 4, 6 or 8 digits.")
    return hsn or None


def _text_within(data: dict, name: str, longest: int, errors: dict) -> str:
    """The answer trimmed; longer than its column holds is refused, never cut short."""
    text = (data.get(name) or "").strip()
    if len(text) > longest:
        errors[name] = _l("Use at most %(n)d characters.", n=longest)
    return text


def _declarations(data: dict, errors: dict) -> dict[str, Any]:
    """Whether the goods are pre-packaged, and their declarations (none kept if they are not)."""
    month = (data.get("manufactured_month") or "").strip()
    if month and not re.fullmatch(r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])", month):
        errors["manufactured_month"] = _l("Enter the month as YYYY-MM, like 2026-10.")
    prepackaged = bool(data.get("prepackaged"))
    values: dict[str, Any] = {"manufactured_month": month or None}
    for name, longest in DECLARATION_LENGTHS.items():
        values[name] = _text_within(data, name, longest, errors) or None
    if not prepackaged:
        values = dict.fromkeys(DECLARATION_FIELDS)
    return {"prepackaged": prepackaged, **values}


def _shipping_size(data: dict, errors: dict) -> dict[str, int | None]:
    return {
        "weight_grams": _int_in(data, "weight_grams", 1, 100_000, errors,
                                _l("Enter the weight in grams, from 1 to 100000.")),
        "length_cm": _int_in(data, "length_cm", 1, 1000, errors, _CENTIMETRES),
        "width_cm": _int_in(data, "width_cm", 1, 1000, errors, _CENTIMETRES),
        "height_cm": _int_in(data, "height_cm", 1, 1000, errors, _CENTIMETRES),
    }


def check_content(seller: Seller, data: dict[str, Any]) -> dict[str, Any]:
    """The content answers, checked. Half-done is fine until the listing is submitted.

    Raises:
        FieldErrors: an answer breaks a rule.
    """
    errors: dict[str, Any] = {}
    values = {"odop_product_id": _own_product(seller, data.get("odop_product_id"), errors),
              **_title_and_description(data, errors),
              "unit": _unit(data.get("unit"), errors),
              "gst_rate": _gst_rate(data.get("gst_rate"), errors),
              "hsn_code": _hsn_code(data.get("hsn_code"), errors),
              **_declarations(data, errors),
              "net_quantity_milli": _net_quantity(data.get("net_quantity"), errors) or 1000,
              **_shipping_size(data, errors),
              # Shown to buyers as the e-commerce rules require: a blank answer means India,
              # where every ODOP product is made.
              "country_of_origin": _text_within(data, "country_of_origin", 60,
                                                errors) or "India"}
    if errors:
        raise FieldErrors(errors)
    return values


def _amount_key(data: dict, name: str) -> str:
    """Where the answer is: `price` as typed rupees (a form), or `price_paise` (the API)."""
    return f"{name}_paise" if f"{name}_paise" in data else name


def _amount(data: dict, name: str, errors: dict) -> int | None:
    key = _amount_key(data, name)
    value = data.get(key)
    try:
        if key == name:
            return parse_rupees(value or "")
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidIdentifier(_l("Enter a whole number of paise, like 125050."))
        return check_paise(value)
    except InvalidIdentifier as error:
        errors[key] = error
        return None


def check_price_and_stock(data: dict[str, Any]) -> dict[str, Any]:
    """Price, MRP (rupees typed in a form, or whole paise from the API; paise out), stock and
    made-to-order, checked. An error is named by the answer it is about (price or price_paise).

    Raises:
        FieldErrors: an answer breaks a rule.
    """
    errors: dict[str, Any] = {}
    prices = {name: _amount(data, name, errors) for name in ("price", "mrp")}
    if not errors and prices["price"] > prices["mrp"]:
        errors[_amount_key(data, "price")] = _l("The price cannot be more than the MRP.")
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


def content_answers(listing: Listing) -> dict[str, Any]:
    """The seller's version as answers check_content takes back unchanged: what an editor starts
    from, and what an edit of some answers keeps for the others."""
    content = listing.working_content
    answers = {name: getattr(content, name) for name in CONTENT_FIELDS}
    answers["net_quantity"] = quantity_text(answers.pop("net_quantity_milli"))
    return answers


def price_answers(listing: Listing, given: dict[str, Any]) -> dict[str, Any]:
    """The listing's price and stock as answers check_price_and_stock takes back unchanged,
    leaving out an amount `given` has in its other form (rupees typed, or paise)."""
    answers: dict[str, Any] = {"stock": listing.stock, "made_to_order": listing.made_to_order,
                               "lead_time_days": listing.lead_time_days}
    for name in ("price", "mrp"):
        if name not in given:
            answers[f"{name}_paise"] = getattr(listing, f"{name}_paise")
    return answers


def submission_problems(listing: Listing) -> list[Any]:
    """What must be added before staff can review the seller's version."""
    content = listing.working_content
    problems = []
    if not content.photos:
        problems.append(_l("Add at least one photo."))
    if any(photo.status == PhotoStatus.PROCESSING for photo in content.photos):
        problems.append(_l("Wait until your photos have been processed (a minute at most), "
                           "then submit."))
    if any(photo.status == PhotoStatus.FAILED for photo in content.photos):
        problems.append(_l("Remove the photos that could not be used."))
    if not content.description:
        problems.append(_l("Write a description."))
    if content.prepackaged and not all(getattr(content, name) for name in DECLARATION_FIELDS):
        problems.append(_l("Pre-packaged goods need every declaration: manufacturer or packer "
                           "name and address, month of manufacture or packing, and consumer "
                           "care contact."))
    return problems
