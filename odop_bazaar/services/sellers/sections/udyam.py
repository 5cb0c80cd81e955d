"""Section 'udyam': the MSME Udyam registration, required of enterprises only."""

from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar import identifiers
from odop_bazaar.models.checklist import DocumentKind, SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.sections.answers import checked, raise_if
from odop_bazaar.services.sellers.sections.base import Section


def required(seller: Seller) -> bool:
    return bool(seller.type_enum and seller.type_enum.is_enterprise)


def complete(seller: Seller) -> bool:
    return bool(seller.udyam_number)


def check(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    number = checked(data, "udyam_number", errors, identifiers.validate_udyam,
                     lgd_state_code=seller.state_lgd_code)
    raise_if(errors)
    return {"udyam_number": number}


def consistency(seller: Seller):
    """A state changed after the Udyam number was entered."""
    return seller.udyam_number and identifiers.validate_udyam(
        seller.udyam_number, lgd_state_code=seller.state_lgd_code)


SECTION = Section(
    SectionKey.UDYAM, _l("Udyam registration"), _l("Your MSME Udyam registration number."),
    ("udyam_number",), documents=(DocumentKind.UDYAM_CERTIFICATE,),
    complete=complete, check=check, required=required, consistency=consistency,
    # The Udyam number's state is the seller's.
    reopened_by=frozenset({SectionKey.PRODUCTS}))
