"""The one place that decides which name a reader sees: the Hindi one in Hindi, else English.

Places and ODOP products carry an official English `name` and, from the reference data
(data/odop/hindi/), a `name_hi`; a listing's content has `title`/`title_hi` and
`description`/`description_hi`, and a shop card (`shop_listing`) copies the Hindi names beside
the English ones. Each language shows its own and falls back to the other, so a listing written
only in Hindi still has a title on an English page. Staff, who work with official records, see
the Hindi name with the official English beside it (`with_official`).

Works on model objects, rows and plain mappings (an API answer, a cached card).
"""

from flask_babel import get_locale

HINDI = "hi"
SUFFIX = "_hi"


def in_hindi() -> bool:
    """Whether the page (or email) being made is in Hindi."""
    locale = get_locale()
    return getattr(locale, "language", None) == HINDI


def _value(thing, field: str):
    if thing is None:
        return None
    if isinstance(thing, dict):
        return thing.get(field)
    try:
        return getattr(thing, field)
    except AttributeError:
        mapping = getattr(thing, "_mapping", None)  # a Row
        return mapping.get(field) if mapping is not None else None


def both(thing, field: str = "name") -> tuple[str, str]:
    """The English and Hindi values of a field, "" where there is none."""
    return _value(thing, field) or "", _value(thing, field + SUFFIX) or ""


def localized(thing, field: str = "name", *, hindi: bool | None = None) -> str:
    """The reader's language's value of `field` (name, title, description, district_name ...),
    falling back to the other language's. "" for nothing."""
    english, hindi_value = both(thing, field)
    if in_hindi() if hindi is None else hindi:
        return hindi_value or english
    return english or hindi_value


def with_official(thing, field: str = "name") -> str:
    """For staff: in Hindi "वाराणसी (Varanasi)", the Hindi name with the official English one
    beside it; in English the English name (or the Hindi one where there is no English)."""
    english, hindi_value = both(thing, field)
    if in_hindi() and hindi_value and english and hindi_value != english:
        return f"{hindi_value} ({english})"
    return english or hindi_value


def sorted_by_name(items, attribute: str | int | None = None) -> list:
    """Items in the order of their names in the reader's language (a Hindi page lists states
    and districts in Hindi order). `attribute`: where the named thing is in each item, an
    attribute ("state") or an index (0 of a (district, products) pair)."""
    def key(item):
        thing = item
        if isinstance(attribute, int):
            thing = item[attribute]
        elif attribute:
            thing = getattr(item, attribute)
        return localized(thing).casefold()
    return sorted(items, key=key)
