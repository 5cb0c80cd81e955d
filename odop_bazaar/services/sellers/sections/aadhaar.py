"""Section 'aadhaar': optional; checked, then only the last four digits are kept.

It has no `check`: the number goes through application.save_aadhaar, which never stores it.
"""

from flask_babel import lazy_gettext as _l

from odop_bazaar.models.checklist import SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.sections.base import Section


def never(seller: Seller) -> bool:
    return False


def complete(seller: Seller) -> bool:
    return bool(seller.aadhaar_last4)


SECTION = Section(
    SectionKey.AADHAAR, _l("Aadhaar"),
    _l("We check the number, then keep only its last four digits."), ("aadhaar_last4",),
    complete=complete, required=never)
