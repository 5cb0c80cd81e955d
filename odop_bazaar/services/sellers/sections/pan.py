"""Section 'pan': the Permanent Account Number, whose 4th letter must fit the seller type."""

from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar import identifiers
from odop_bazaar.models.checklist import DocumentKind, SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.sections.answers import checked, raise_if, text
from odop_bazaar.services.sellers.sections.base import Section


def complete(seller: Seller) -> bool:
    return bool(seller.pan and seller.pan_name and seller.documents_of(DocumentKind.PAN_CARD))


def check(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    seller_type = seller.type_enum
    pan = checked(data, "pan", errors, identifiers.validate_pan,
                  seller_type.pan_letters if seller_type else None,
                  seller_type.pan_holder if seller_type else None)
    raise_if(errors)
    return {"pan": pan, "pan_name": text(data, "pan_name", 120)}


def consistency(seller: Seller):
    """A seller type changed after the PAN was entered."""
    return seller.pan and seller.type_enum and identifiers.validate_pan(
        seller.pan, seller.type_enum.pan_letters, seller.type_enum.pan_holder)


SECTION = Section(
    SectionKey.PAN, _l("PAN"), _l("Your Permanent Account Number and a copy of the card."),
    ("pan", "pan_name"), documents=(DocumentKind.PAN_CARD,),
    complete=complete, check=check, consistency=consistency,
    # PAN letters depend on the seller type.
    reopened_by=frozenset({SectionKey.PRODUCTS}))
