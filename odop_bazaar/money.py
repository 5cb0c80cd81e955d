"""Money: integer paise everywhere, rupees only at the edges (forms and pages)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from odop_bazaar.identifiers import InvalidIdentifier, ascii_digits

MAX_PRICE_PAISE = 10_000_000_00  # Rs 1 crore: beyond any single ODOP product
_INDIAN_GROUPS = re.compile(r"[0-9]{1,2}(,[0-9]{2})*,[0-9]{3}")
_WESTERN_GROUPS = re.compile(r"[0-9]{1,3}(,[0-9]{3})+")


def parse_rupees(text: str) -> int:
    """'1,250.50' or '₹ 1250' -> paise. Indian or Western grouping, at most two decimals.

    Raises:
        InvalidIdentifier: not an amount of money we can take.
    """
    text = re.sub(r"^(rs\.?|inr|₹)", "", ascii_digits(text or "").strip().lower()).strip()
    whole, dot, fraction = text.replace(" ", "").partition(".")
    # Commas only where Indian (12,34,567) or Western (1,234,567) grouping puts them.
    if "," in whole and not (_INDIAN_GROUPS.fullmatch(whole) or _WESTERN_GROUPS.fullmatch(whole)):
        raise InvalidIdentifier(_l("Enter an amount in rupees, like 1250 or 1,250.50."))
    cleaned = whole.replace(",", "") + dot + fraction
    if not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", cleaned):
        raise InvalidIdentifier(_l("Enter an amount in rupees, like 1250 or 1,250.50."))
    try:
        paise = int((Decimal(cleaned) * 100).to_integral_value())
    except InvalidOperation as error:
        raise InvalidIdentifier(_l("Enter an amount in rupees, like 1250.")) from error
    return check_paise(paise)


def check_paise(paise: int) -> int:
    """An amount already in paise (the API sends them) held to the limits typed rupees meet.

    Raises:
        InvalidIdentifier: not more than zero, or beyond MAX_PRICE_PAISE.
    """
    if paise <= 0:
        raise InvalidIdentifier(_l("The amount must be more than zero."))
    if paise > MAX_PRICE_PAISE:
        raise InvalidIdentifier(_l("That amount is too large."))
    return paise


def rupees_input(paise: int | None) -> str:
    """Paise as the plain rupee text a form field shows: 125050 -> '1250.50', 120000 -> '1200'."""
    if paise is None:
        return ""
    rupees, rest = divmod(paise, 100)
    return f"{rupees}.{rest:02d}" if rest else str(rupees)


def quantity_text(milli: int) -> str:
    """A quantity kept in thousandths, as typed: 1500 -> '1.5', 1000 -> '1'."""
    whole, fraction = divmod(milli, 1000)
    return f"{whole}.{fraction:03d}".rstrip("0") if fraction else str(whole)


def format_rupees(paise: int | None) -> str:
    """₹1,23,456.00 with Indian digit grouping (the same in English and Hindi, as Babel's en_IN
    and hi_IN write it: tests/test_money_format.py holds the two to each other)."""
    if paise is None:
        return ""
    # Written out: Babel's format_currency took 25 µs a price, and a page of cards shows 48.
    sign = "-" if paise < 0 else ""
    rupees, fraction = divmod(abs(int(paise)), 100)
    return f"{sign}₹{indian_grouping(rupees)}.{fraction:02d}"


def indian_grouping(whole: int) -> str:
    """1234567 -> '12,34,567': the last three digits, then pairs (lakh, crore)."""
    digits = str(whole)
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while head:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([*pairs, tail])


def gst_breakup(price_paise: int, rate: int) -> tuple[int, int]:
    """A GST-inclusive price split into (taxable value, GST), both in paise."""
    taxable = (Decimal(price_paise) * 100 / (100 + rate)).quantize(Decimal(1), ROUND_HALF_UP)
    return int(taxable), price_paise - int(taxable)
