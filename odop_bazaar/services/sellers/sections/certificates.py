"""Section 'certificates': FSSAI for food sellers; GI and artisan or weaver cards for anyone."""

from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar import identifiers
from odop_bazaar.models.checklist import DocumentKind, SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.sections.answers import checked, raise_if
from odop_bazaar.services.sellers.sections.base import Section

# Sectors whose products are food and need an FSSAI licence or registration.
FOOD_SECTORS = {"Food Processing", "Dairy", "Marine"}


def needs_fssai(seller: Seller) -> bool:
    """Food sellers need FSSAI: Food Processing or Dairy products, or processed farm produce."""
    sectors = {product.sector for product in seller.products}
    return bool(sectors & FOOD_SECTORS) or bool(
        "Agriculture" in sectors and seller.sells_processed_food)


def complete(seller: Seller) -> bool:
    if needs_fssai(seller):
        return bool(seller.fssai_number and seller.documents_of(DocumentKind.FSSAI_CERTIFICATE))
    return bool(seller.fssai_number or seller.documents_of(DocumentKind.GI_CERTIFICATE)
                or seller.documents_of(DocumentKind.ARTISAN_CARD))


def check(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    number = checked(data, "fssai_number", errors, identifiers.validate_fssai)
    raise_if(errors)
    return {"sells_processed_food": bool(data.get("sells_processed_food")),
            "fssai_number": number}


SECTION = Section(
    SectionKey.CERTIFICATES, _l("Certificates"),
    _l("FSSAI for food; GI and artisan or weaver cards where you have them."),
    ("sells_processed_food", "fssai_number"),
    documents=(DocumentKind.FSSAI_CERTIFICATE, DocumentKind.GI_CERTIFICATE,
               DocumentKind.ARTISAN_CARD),
    complete=complete, check=check, required=needs_fssai,
    # Whether FSSAI is needed depends on the products.
    reopened_by=frozenset({SectionKey.PRODUCTS}))
