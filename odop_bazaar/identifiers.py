"""Checks for Indian identifiers that python-stdnum does not cover.

python-stdnum covers PAN, GSTIN and Aadhaar; this module adds what it lacks (mobile numbers,
and later PIN codes, IFSC, Udyam and FSSAI numbers), so that no form carries its own regex.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidFormat, ValidationError
from stdnum.in_ import aadhaar, gstin, pan


class InvalidIdentifier(ValueError):
    """The value is not a valid identifier of its kind; str() is a message for a person."""


_MOBILE = re.compile(r"[6-9][0-9]{9}")


def ascii_digits(value: str) -> str:
    """Decimal digits typed in any script (Devanagari ९८७६, ...) as ASCII digits.

    Other characters are kept, including superscripts and the like, which are not digits a
    person types and so fail the checks that follow.
    """
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
                   for ch in value or "")


def normalise_mobile(value: str) -> str:
    """An Indian mobile number as ten digits, accepting +91, 0 and spaces or dashes.

    Raises:
        InvalidIdentifier: not ten digits starting with 6, 7, 8 or 9.
    """
    digits = re.sub(r"[\s\-().]", "", ascii_digits(value))
    if digits.startswith("+91"):
        digits = digits[3:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise InvalidIdentifier(_l("Enter a 10-digit mobile number, like 98765 43210."))
    if not _MOBILE.fullmatch(digits):
        raise InvalidIdentifier(_l("An Indian mobile number starts with 6, 7, 8 or 9."))
    return digits


def format_mobile(digits: str | None) -> str:
    """'9876543210' -> '+91 98765 43210'."""
    if not digits:
        return ""
    return f"+91 {digits[:5]} {digits[5:]}"


# --- Tax and business identifiers -------------------------------------------------------------
# python-stdnum checks PAN (format, holder type), GSTIN (check character) and Aadhaar (Verhoeff);
# the rules that tie them to a seller (type letter, state code, PAN inside GSTIN) live here.

# The 4th letter of a PAN names the kind of holder.
PAN_HOLDER_LETTERS = {
    "P": _l("an individual"),
    "C": _l("a company"),
    "H": _l("a Hindu undivided family"),
    "F": _l("a firm or LLP"),
    "A": _l("an association of persons"),
    "T": _l("a trust"),
    "B": _l("a body of individuals"),
    "L": _l("a local authority"),
    "J": _l("an artificial juridical person"),
    "G": _l("a government body"),
}

# GST state codes, by LGD state code. They match LGD codes except where states were reorganised.
_GST_CODE_EXCEPTIONS = {28: {"37"}, 36: {"36"}, 37: {"38"}, 38: {"26", "25"}}
_GST_CODES_STDNUM_LACKS = {"38"}


def gst_state_codes(lgd_state_code: int) -> set[str]:
    """The GSTIN state prefixes valid for a state or UT given by its LGD code."""
    return _GST_CODE_EXCEPTIONS.get(lgd_state_code, {f"{lgd_state_code:02d}"})


# Udyam numbers carry a two-letter state code, as on vehicle registrations.
UDYAM_STATE_LETTERS = {
    1: {"JK"}, 2: {"HP"}, 3: {"PB"}, 4: {"CH"}, 5: {"UK", "UT"}, 6: {"HR"}, 7: {"DL"},
    8: {"RJ"}, 9: {"UP"}, 10: {"BR"}, 11: {"SK"}, 12: {"AR"}, 13: {"NL"}, 14: {"MN"},
    15: {"MZ"}, 16: {"TR"}, 17: {"ML"}, 18: {"AS"}, 19: {"WB"}, 20: {"JH"}, 21: {"OD", "OR"},
    22: {"CG", "CT"}, 23: {"MP"}, 24: {"GJ"}, 27: {"MH"}, 28: {"AP"}, 29: {"KA"}, 30: {"GA"},
    31: {"LD"}, 32: {"KL"}, 33: {"TN"}, 34: {"PY"}, 35: {"AN"}, 36: {"TS", "TG"}, 37: {"LA"},
    38: {"DN", "DD"},
}

_UDYAM = re.compile(r"UDYAM-([A-Z]{2})-([0-9]{2})-([0-9]{7})")
_IFSC = re.compile(r"[A-Z]{4}0[A-Z0-9]{6}")
_PIN = re.compile(r"[1-9][0-9]{5}")
_FSSAI = re.compile(r"[12][0-9]{13}")


def _compact(value: str | None) -> str:
    return re.sub(r"[\s\-./]", "", ascii_digits(value)).upper()


_ORDINALS = {1: _l("1st"), 2: _l("2nd"), 3: _l("3rd"), 4: _l("4th"), 5: _l("5th"),
             6: _l("6th"), 7: _l("7th"), 8: _l("8th"), 9: _l("9th"), 10: _l("10th")}


def _pan_fault(number: str):
    """What is wrong with a 10-character PAN that python-stdnum refused, naming the character:
    "It has 5 letters, 4 digits and a letter" helps nobody whose PAN has exactly that."""
    for position, character in enumerate(number, start=1):
        wants_digit = 6 <= position <= 9
        if wants_digit and not character.isdigit():
            return _l("The %(nth)s character of a PAN is a digit; here it is %(character)s. "
                      "A PAN has 5 letters, 4 digits and a letter, like ABCPE1234F.",
                      nth=_ORDINALS[position], character=character)
        if not wants_digit and not ("A" <= character <= "Z"):
            return _l("The %(nth)s character of a PAN is a letter; here it is %(character)s. "
                      "A PAN has 5 letters, 4 digits and a letter, like ABCPE1234F.",
                      nth=_ORDINALS[position], character=character)
    if number[3] not in PAN_HOLDER_LETTERS:
        return _l("The 4th letter of a PAN says who holds it: P for a person, C a company, "
                  "H a Hindu undivided family, F a firm, A an association of persons, T a "
                  "trust, B a body of individuals, L a local authority, J an artificial "
                  "juridical person, G a government body. %(letter)s is none of these: check "
                  "the 4th letter on the PAN card.", letter=number[3])
    return _l("This is not a valid PAN. It has 5 letters, 4 digits and a letter, like "
              "ABCPE1234F.")


def validate_pan(value: str, allowed_holder_letters: set[str] | None = None,
                 holder_description=None) -> str:
    """A PAN in capitals, checked for format, holder type and (optionally) the holder letter.

    Raises:
        InvalidIdentifier: with a message that says what is wrong.
    """
    number = _compact(value)
    if len(number) != 10:
        raise InvalidIdentifier(_l("A PAN has 10 characters, like ABCPE1234F."))
    try:
        pan.validate(number)
    except ValidationError as error:
        raise InvalidIdentifier(_pan_fault(number)) from error
    if allowed_holder_letters and number[3] not in allowed_holder_letters:
        letters = "/".join(sorted(allowed_holder_letters))
        raise InvalidIdentifier(_l(
            "The 4th letter of the PAN of %(holder)s is %(letters)s; this PAN (%(letter)s) "
            "belongs to %(other)s. Check the seller type or the PAN.",
            holder=holder_description or "", letters=letters, letter=number[3],
            other=PAN_HOLDER_LETTERS.get(number[3], "")))
    return number


def validate_gstin(value: str, *, lgd_state_code: int | None = None,
                   pan_number: str | None = None) -> str:
    """A GSTIN in capitals: check character, state of registration and the PAN inside it.

    Raises:
        InvalidIdentifier: with a message that says what is wrong.
    """
    number = _compact(value)
    if len(number) != 15:
        raise InvalidIdentifier(_l("A GSTIN has 15 characters, like 09ABCPE1234F1Z9."))
    try:
        if number[:2] in _GST_CODES_STDNUM_LACKS:
            # python-stdnum's list of state codes predates Ladakh's (38, from 2020): run the
            # same checks it runs, against the code it does not know yet. Its Luhn step takes
            # only digits and capital letters (anything else is a ValueError, not a refusal).
            if not re.fullmatch(r"[0-9A-Z]{15}", number):
                raise InvalidFormat()
            gstin.validate("37" + number[2:14] + luhn.calc_check_digit(
                "37" + number[2:14], gstin._ALPHABET))
            luhn.validate(number, gstin._ALPHABET)
        else:
            gstin.validate(number)
    except InvalidChecksum as error:
        raise InvalidIdentifier(_l(
            "The last character of this GSTIN does not match the rest: check it for a "
            "typing mistake.")) from error
    except ValidationError as error:
        raise InvalidIdentifier(_l(
            "This is not a valid GSTIN. It has 15 characters: the 2-digit state code, the PAN, "
            "then 3 more characters.")) from error
    if lgd_state_code is not None and number[:2] not in gst_state_codes(lgd_state_code):
        raise InvalidIdentifier(_l(
            "This GSTIN is registered in another state (state code %(code)s). Give the GSTIN "
            "you hold in the state where you sell from.", code=number[:2]))
    if pan_number and number[2:12] != _compact(pan_number):
        raise InvalidIdentifier(_l(
            "The PAN inside this GSTIN (%(inside)s) is not the PAN you gave (%(pan)s).",
            inside=number[2:12], pan=_compact(pan_number)))
    return number


def validate_aadhaar(value: str) -> str:
    """A 12-digit Aadhaar number with a valid Verhoeff check digit. Returns the digits.

    The caller must keep only the last four digits; never store or log the result.

    Raises:
        InvalidIdentifier: the number is not a valid Aadhaar number (the message never echoes it).
    """
    number = _compact(value)
    if not re.fullmatch(r"[0-9]{12}", number):
        raise InvalidIdentifier(_l("An Aadhaar number has 12 digits."))
    try:
        aadhaar.validate(number)
    except ValidationError as error:
        raise InvalidIdentifier(_l(
            "This is not a valid Aadhaar number: check the digits on your card.")) from error
    return number


def validate_udyam(value: str, *, lgd_state_code: int | None = None) -> str:
    """A Udyam registration number, UDYAM-XX-00-0000000, consistent with the seller's state.

    Raises:
        InvalidIdentifier: with a message that says what is wrong.
    """
    number = re.sub(r"\s", "", ascii_digits(value)).upper()
    match = _UDYAM.fullmatch(number)
    if not match:
        raise InvalidIdentifier(_l(
            "A Udyam registration number looks like UDYAM-UP-12-0001234."))
    letters = match.group(1)
    if lgd_state_code is not None:
        expected = UDYAM_STATE_LETTERS.get(lgd_state_code, set())
        if expected and letters not in expected:
            raise InvalidIdentifier(_l(
                "This Udyam number is from another state (%(letters)s); for your state it "
                "starts UDYAM-%(expected)s.", letters=letters,
                expected="/".join(sorted(expected))))
    return number


def validate_ifsc(value: str) -> str:
    """An IFSC bank branch code: 4 letters, a zero, 6 letters or digits.

    Raises:
        InvalidIdentifier: with a message that says what is wrong.
    """
    code = _compact(value)
    if len(code) != 11:
        raise InvalidIdentifier(_l("An IFSC has 11 characters, like SBIN0001234."))
    if _IFSC.fullmatch(code):
        return code
    if code[4] != "0":
        raise InvalidIdentifier(_l("The 5th character of an IFSC is always 0 (zero)."))
    raise InvalidIdentifier(_l(
        "An IFSC starts with the bank's 4 letters, then 0, then 6 letters or digits."))


# The first digit of a PIN code is its postal zone; each state lies in one (Puducherry's enclaves
# in two). A PIN from another zone is a typing mistake or an address outside the seller's state.
PIN_ZONES = {
    1: {1}, 2: {1}, 3: {1}, 4: {1}, 6: {1}, 7: {1}, 37: {1},
    5: {2}, 9: {2},
    8: {3}, 24: {3}, 38: {3},
    22: {4}, 23: {4}, 27: {4}, 30: {4},
    28: {5}, 29: {5}, 36: {5},
    31: {6}, 32: {6}, 33: {6}, 34: {5, 6},
    11: {7}, 12: {7}, 13: {7}, 14: {7}, 15: {7}, 16: {7}, 17: {7}, 18: {7}, 19: {7}, 21: {7},
    35: {7},
    10: {8}, 20: {8},
}


def validate_pin(value: str, *, lgd_state_code: int | None = None) -> str:
    """A 6-digit Indian PIN code that does not start with 0, in the state's postal zone.

    Raises:
        InvalidIdentifier: with a message that says what is wrong.
    """
    code = re.sub(r"\s", "", ascii_digits(value))
    if not _PIN.fullmatch(code):
        raise InvalidIdentifier(_l("A PIN code has 6 digits and does not start with 0."))
    zones = PIN_ZONES.get(lgd_state_code) if lgd_state_code is not None else None
    if zones and int(code[0]) not in zones:
        raise InvalidIdentifier(_l(
            "PIN codes in your state start with %(digits)s. Check the PIN code.",
            digits=" / ".join(str(zone) for zone in sorted(zones))))
    return code


def validate_bank_account(value: str) -> str:
    """A bank account number: 9 to 18 digits (digits in any script are accepted).

    Raises:
        InvalidIdentifier: not 9 to 18 digits.
    """
    number = re.sub(r"[\s\-]", "", ascii_digits(value))
    if not re.fullmatch(r"[0-9]{9,18}", number):
        raise InvalidIdentifier(_l("A bank account number has 9 to 18 digits."))
    return number


# A UPI id (virtual payment address): a name, "@", then the payment app's handle (okaxis, ybl).
_UPI_ID = re.compile(r"[a-z0-9][a-z0-9._-]{1,99}@[a-z][a-z0-9]{1,63}")


def validate_upi_id(value: str) -> str:
    """A UPI id like name@okaxis, in lower case.

    Raises:
        InvalidIdentifier: not a name, @ and a payment app's handle.
    """
    upi_id = "".join((value or "").split()).lower()
    if len(upi_id) > 100 or not _UPI_ID.fullmatch(upi_id):
        raise InvalidIdentifier(_l("A UPI id is a name, @ and the app's handle, like "
                                   "asha.devi@okaxis."))
    return upi_id


def validate_fssai(value: str) -> str:
    """A 14-digit FSSAI licence or registration number.

    Raises:
        InvalidIdentifier: with a message that says what is wrong.
    """
    number = re.sub(r"\s", "", ascii_digits(value))
    if not re.fullmatch(r"[0-9]{14}", number):
        raise InvalidIdentifier(_l("An FSSAI licence or registration number has 14 digits."))
    if not _FSSAI.fullmatch(number):
        raise InvalidIdentifier(_l(
            "An FSSAI number starts with 1 (licence) or 2 (registration)."))
    return number


def mask_account_number(number: str | None) -> str:
    """'123456789012' -> 'XXXXXXXX9012': bank accounts are never shown whole after entry."""
    if not number:
        return ""
    return "X" * max(len(number) - 4, 0) + number[-4:]
