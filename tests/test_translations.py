"""Every user-facing string has a Hindi translation, and the shipped .mo matches the .po."""

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.util import pathmatch

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "odop_bazaar" / "translations" / "hi" / "LC_MESSAGES"


def source_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_template_that_says_something_is_read_for_strings():
    # The email templates were once left out of babel.cfg, so Hindi readers got English mail.
    with (ROOT / "babel.cfg").open() as handle:
        method_map, _options = parse_mapping_cfg(handle)
    templates = [pattern for pattern, method in method_map if method == "jinja2"]
    missed = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "templates").rglob("*"))
              if path.is_file() and "_(" in path.read_text(encoding="utf-8")
              and not any(pathmatch(pattern, str(path.relative_to(ROOT)))
                          for pattern in templates)]
    assert missed == [], "add these to babel.cfg"


def hindi_catalogue():
    with (CATALOGUE / "messages.po").open("rb") as handle:
        return read_po(handle, locale="hi")


def test_every_string_in_the_code_and_templates_has_hindi():
    catalogue = hindi_catalogue()
    untranslated = []
    for message_id in sorted(source_messages()):
        entry = catalogue.get(message_id)
        strings = [] if entry is None else (
            [entry.string] if isinstance(entry.string, str) else list(entry.string))
        if not strings or not all(strings) or (entry is not None and entry.fuzzy):
            untranslated.append(message_id)
    assert untranslated == [], "run `make translations` and translate these in messages.po"


def test_the_compiled_catalogue_is_up_to_date():
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [entry.id for entry in hindi_catalogue()
             if entry.id and isinstance(entry.id, str) and entry.string
             and compiled.gettext(entry.id) != entry.string]
    assert stale == [], "run `pybabel compile -d odop_bazaar/translations`"
