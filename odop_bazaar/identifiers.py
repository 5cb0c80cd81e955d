"""Checks for Indian identifiers that python-stdnum does not cover.

python-stdnum covers PAN, GSTIN and Aadhaar; this module adds what it lacks (mobile numbers,
and later PIN codes, IFSC, Udyam and FSSAI numbers), so that no form carries its own regex.
"""

import re

from flask_babel import lazy_gettext as _l


class InvalidIdentifier(ValueError):
    """The value is not a valid identifier of its kind; str() is a message for a person."""


_MOBILE = re.compile(r"[6-9]\d{9}")


def normalise_mobile(value: str) -> str:
    """An Indian mobile number as ten digits, accepting +91, 0 and spaces or dashes.

    Raises:
        InvalidIdentifier: not ten digits starting with 6, 7, 8 or 9.
    """
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+91"):
        digits = digits[3:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if not digits.isdigit() or len(digits) != 10:
        raise InvalidIdentifier(_l("Enter a 10-digit mobile number, like 98765 43210."))
    if not _MOBILE.fullmatch(digits):
        raise InvalidIdentifier(_l("An Indian mobile number starts with 6, 7, 8 or 9."))
    return digits


def format_mobile(digits: str | None) -> str:
    """'9876543210' -> '+91 98765 43210'."""
    if not digits:
        return ""
    return f"+91 {digits[:5]} {digits[5:]}"
