"""Prices and counts are written as Babel writes them for India (en_IN and hi_IN), without
calling Babel for each one (money.format_rupees, templating.format_number)."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal

from odop_bazaar.i18n import ENVIRON_LOCALE
from odop_bazaar.money import format_rupees
from odop_bazaar.templating import format_number

AMOUNTS = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 1234, 12345, 99999, 100000, 123456, 1234567,
           12345678, 123456789, 1234567890, 12345678901, 10**15 + 7]


@pytest.mark.parametrize("language, locale", [("en", "en_IN"), ("hi", "hi_IN")])
def test_the_same_as_babel_in_both_languages(app, language, locale):
    with app.test_request_context("/", environ_base={ENVIRON_LOCALE: language}):
        for amount in AMOUNTS + [-amount for amount in AMOUNTS]:
            assert format_rupees(amount) == format_currency(
                Decimal(amount) / 100, "INR", locale=locale), amount
            assert format_number(amount) == format_decimal(amount, locale=locale), amount
        assert format_rupees(12345678) == "₹1,23,456.78"
        assert format_number(1.5) == format_decimal(1.5, locale=locale)
        assert format_rupees(None) == ""
