"""Section 'declarations': the seller terms, accepted in the version current at the time."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from odop_bazaar.db_types import utcnow
from odop_bazaar.models.checklist import SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.sellers.sections.base import Section


def complete(seller: Seller) -> bool:
    return seller.terms_accepted_at is not None


def check(seller: Seller, data: dict) -> dict:
    if not data.get("accept_terms"):
        raise FieldErrors({"accept_terms": _l("Tick the box to accept the seller terms.")})
    version = current_app.config["SELLER_TERMS_VERSION"]
    # Accepting a new version of the terms is a new acceptance, with its own time.
    same = seller.terms_accepted_at is not None and seller.terms_version == version
    return {"terms_accepted_at": seller.terms_accepted_at if same else utcnow(),
            "terms_version": version}


SECTION = Section(
    SectionKey.DECLARATIONS, _l("Declarations"), _l("The seller terms you agree to."),
    ("terms_accepted_at",), complete=complete, check=check)
