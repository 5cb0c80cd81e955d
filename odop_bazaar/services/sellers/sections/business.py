"""Section 'business': the seller's names, story and grievance contact."""

from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar import identifiers
from odop_bazaar.db_types import utcnow
from odop_bazaar.models.checklist import SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.accounts.users import normalise_email
from odop_bazaar.services.sellers.sections.answers import checked, raise_if, text
from odop_bazaar.services.sellers.sections.base import Section

EARLIEST_YEAR = 1900
FIELDS = ("legal_name", "display_name", "year_started", "story", "languages",
          "grievance_name", "grievance_phone", "grievance_email")


def complete(seller: Seller) -> bool:
    return all(getattr(seller, name) for name in FIELDS)


def check(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    year = data.get("year_started")
    if year is not None and not (EARLIEST_YEAR <= year <= utcnow().year):
        errors["year_started"] = _l("Enter a year between %(first)d and %(last)d.",
                                    first=EARLIEST_YEAR, last=utcnow().year)
    phone = checked(data, "grievance_phone", errors, identifiers.normalise_mobile)
    email = checked(data, "grievance_email", errors, normalise_email)
    raise_if(errors)
    return {
        "legal_name": text(data, "legal_name", 200),
        "display_name": text(data, "display_name", 120),
        "year_started": year,
        "story": text(data, "story", 2000),
        "languages": text(data, "languages", 200),
        "grievance_name": text(data, "grievance_name", 120),
        "grievance_phone": phone,
        "grievance_email": email,
    }


SECTION = Section(
    SectionKey.BUSINESS, _l("Business profile"),
    _l("Your name, your story for buyers, and who handles complaints."), FIELDS,
    complete=complete, check=check)
