"""Section 'address': where couriers collect orders, in the seller's district."""

from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar import identifiers
from odop_bazaar.models.checklist import SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.sections.answers import checked, raise_if, text
from odop_bazaar.services.sellers.sections.base import Section


def complete(seller: Seller) -> bool:
    return bool(seller.address_line1 and seller.address_city and seller.address_pin)


def check(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    pin = checked(data, "address_pin", errors, identifiers.validate_pin,
                  lgd_state_code=seller.state_lgd_code)
    raise_if(errors)
    return {"address_line1": text(data, "address_line1", 200),
            "address_line2": text(data, "address_line2", 200),
            "address_city": text(data, "address_city", 120), "address_pin": pin}


SECTION = Section(
    SectionKey.ADDRESS, _l("Pickup address"),
    _l("Where couriers collect your orders, in your district."),
    ("address_line1", "address_line2", "address_city", "address_pin"),
    complete=complete, check=check,
    # The pickup address is in the seller's district.
    reopened_by=frozenset({SectionKey.PRODUCTS}))
