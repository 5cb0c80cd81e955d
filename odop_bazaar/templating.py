"""What every template can use: the language switch, formatting filters, the current page."""

from babel.numbers import format_decimal
from flask import Flask, current_app, g, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from odop_bazaar import i18n, localized, page_cache, template_gettext
from odop_bazaar.identifiers import format_mobile
from odop_bazaar.models.reference import SECTORS
from odop_bazaar.money import format_rupees, indian_grouping, quantity_text
from odop_bazaar.services.catalogue.images import SIZES
from odop_bazaar.storage import public_url_prefix


def format_number(value) -> str:
    # en_IN groups as 12,34,567: the way numbers are read in India, in both languages.
    if isinstance(value, int) and not isinstance(value, bool):
        # Counts, the common case, written out (Babel took 20 µs each; the home page has 90).
        return ("-" if value < 0 else "") + indian_grouping(abs(value))
    locale = "hi_IN" if getattr(get_locale(), "language", "en") == "hi" else "en_IN"
    return format_decimal(value, locale=locale)


def format_percent(value: float) -> str:
    """A share: whole per cent, with one decimal below 10 so that 0.4 % does not read as 0 %."""
    return f"{value:.1f} %" if 0 < value < 10 else f"{value:.0f} %"


# One Indian way of writing a day and a moment, in English and in Hindi alike: "2 Dec 2026",
# "2 Dec 2026, 3:59 PM" (IST, BABEL_DEFAULT_TIMEZONE). Babel's named formats differ by locale
# ("12/2/26" in English, "2/12/26" in Hindi for the same day), so pages never use them.
DAY_PATTERN = "d MMM y"
MOMENT_PATTERNS = {"medium": "d MMM y, h:mm a", "short": "d MMM y, h:mm a",
                   "long": "d MMMM y, h:mm a", "date": DAY_PATTERN}


def _ist(value, format="medium") -> str:
    """A moment in India's time, as MOMENT_PATTERNS writes it (or an explicit pattern)."""
    return format_datetime(value, MOMENT_PATTERNS.get(format, format)) if value else ""


def photo_url(photo, size: int = 800, extension: str = "webp") -> str:
    # Keys are hex digests and sizes: the route's prefix is built once per request, not
    # url_for per photo size (a page of 24 cards has 168 of them).
    try:
        prefix = g.get("_odop_media_prefix")
    except RuntimeError:
        prefix = None
    if prefix is None:
        prefix = public_url_prefix() or url_for("public.media", key="-")[:-1]
        if g:
            g._odop_media_prefix = prefix
    return prefix + photo.key(size, extension)


def photo_widths(photo) -> dict[int, int]:
    """Each size of a photo (its longer side) and the width of the file of that size."""
    return {size: min(round(photo.width * size / max(photo.width, photo.height)), photo.width)
            for size in SIZES}


def photo_full_size(photo) -> dict:
    """The largest file of a photo with its pixel size, for the gallery's full-size view (and
    the plain link it is without JavaScript)."""
    largest = max(SIZES)
    width = photo_widths(photo)[largest]
    return {"url": photo_url(photo, largest, "jpg"), "width": width,
            "height": round(width * photo.height / photo.width) if photo.width else 0}


def photo_srcset(photo, extension: str = "webp") -> str:
    """Every size of a photo, so a phone downloads the small one."""
    return ", ".join(f"{photo_url(photo, size, extension)} {width}w"
                     for size, width in photo_widths(photo).items())


def order_status_label(value: str | None):
    """An order status in words (audit rows store the bare value)."""
    from odop_bazaar.models.orders import OrderStatus

    try:
        return OrderStatus(value).label
    except ValueError:
        return value or ""


def seller_step_label(status: str):
    """The button that moves a seller's order to this status."""
    from odop_bazaar.models.orders import OrderStatus

    return {OrderStatus.ACCEPTED: _l("Accept the order"), OrderStatus.PACKED: _l("Mark as packed"),
            OrderStatus.SHIPPED: _l("Mark as shipped"),
            OrderStatus.DELIVERED: _l("Mark as delivered")}.get(status, status)


def _day(value, format="medium") -> str:
    """A calendar date (not a moment), such as the day a bank sent a payout."""
    return format_date(value, DAY_PATTERN if format == "medium" else format) if value else ""


def url_with(**changes) -> str:
    """This page's address with some query parameters changed (None removes one): paging and
    sorting links that keep the filters."""
    args = request.args.to_dict()
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.add_template_filter(format_number, "number")
    template_gettext.init_app(app)
    app.add_template_filter(format_rupees, "rupees")
    app.add_template_filter(quantity_text, "quantity")
    app.add_template_global(photo_url)
    app.add_template_global(photo_srcset)
    app.add_template_global(photo_full_size)
    app.add_template_filter(_ist, "ist")
    app.add_template_filter(_day, "day")
    app.add_template_filter(format_percent, "percent")
    app.add_template_filter(format_mobile, "mobile")
    # {{ district|local }}, {{ content|local('title') }}, {{ card|local('district_name') }}:
    # the reader's language's name, else the other's; {{ district|official }} for staff.
    app.add_template_filter(localized.localized, "local")
    app.add_template_filter(localized.with_official, "official")
    app.add_template_filter(localized.sorted_by_name, "by_local_name")
    app.add_template_global(order_status_label)
    app.add_template_global(seller_step_label)
    app.add_template_global(url_with)

    app.add_template_global(page_cache.site_chrome)
    app.add_template_global(i18n.alternates, "language_alternates")
    app.add_template_global(i18n.in_language, "url_in_language")

    @app.context_processor
    def layout_context():
        return {
            "languages": current_app.config["LANGUAGES"],
            "current_locale": str(get_locale() or "en"),
            "all_sectors": SECTORS,
        }
