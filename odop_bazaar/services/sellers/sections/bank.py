"""Section 'bank': the account the marketplace pays the seller into."""

from typing import Any

from flask_babel import lazy_gettext as _l

from odop_bazaar import identifiers
from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.models.checklist import DocumentKind, SectionKey
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.sellers.sections.answers import checked, raise_if, text
from odop_bazaar.services.sellers.sections.base import Section


def complete(seller: Seller) -> bool:
    return bool(seller.bank_holder_name and seller.bank_account_number and seller.bank_ifsc
                and seller.documents_of(DocumentKind.BANK_PROOF))


def check(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    account = confirm = ""
    if (data.get("bank_account_number") or "").strip():
        try:
            account = identifiers.validate_bank_account(data["bank_account_number"])
        except InvalidIdentifier as error:
            errors["bank_account_number"] = error
        confirm = identifiers.ascii_digits(data.get("bank_account_confirm") or "")
        if account and account != "".join(ch for ch in confirm if ch.isdigit()):
            errors["bank_account_confirm"] = _l("The two account numbers are not the same.")
    ifsc = checked(data, "bank_ifsc", errors, identifiers.validate_ifsc)
    raise_if(errors)
    values = {"bank_holder_name": text(data, "bank_holder_name", 120), "bank_ifsc": ifsc}
    # A blank account field keeps the number already saved (it is never shown again).
    if account:
        values["bank_account_number"] = account
    return values


SECTION = Section(
    SectionKey.BANK, _l("Bank account for payouts"), _l("Where we pay you for your sales."),
    ("bank_holder_name", "bank_account_number", "bank_ifsc"),
    documents=(DocumentKind.BANK_PROOF,), complete=complete, check=check)
