"""Small text helpers for names from government lists: cleaning, folding for matching, casing."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_PARENTHESISED = re.compile(r"\(([^)]*)\)")
_SMALL_WORDS = {"and", "of", "the", "on", "in", "by", "at", "for"}
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def clean_cell(value: str | None) -> str:
    """Collapse line breaks, non-breaking spaces and runs of white space into one space."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value).replace("\xa0", " ")
    return _SPACE.sub(" ", value).strip()


def fold(value: str) -> str:
    """A matching key: case, '&'/'and', punctuation and spacing do not count."""
    value = clean_cell(value).casefold().replace("&", " and ")
    return _NOT_WORD.sub(" ", value).strip()


def fold_place(value: str) -> str:
    """A place-name key: also ignores spaces and a leading 'the' ('Banas Kantha' = 'Banaskantha')."""
    key = fold(value)
    key = key.removeprefix("the ")
    return key.replace(" ", "")


# Bracketed abbreviations that qualify a name rather than give another one: "Kamrup (M)".
_QUALIFIERS = {"m": "metro", "r": "rural", "u": "urban", "n": "north", "s": "south",
               "e": "east", "w": "west"}


def place_name_candidates(value: str) -> set[str]:
    """Every key a published district name may stand for.

    'Ayodhya (Faizabad)' stands for Ayodhya or Faizabad; 'Himmatnagar/Sabarkantha' for either;
    'Kamrup (M)' for Kamrup Metro, and never for plain Kamrup.
    """
    value = clean_cell(value)
    candidates = {fold_place(value)}
    outside = clean_cell(_PARENTHESISED.sub(" ", value))
    inner_parts = [fold(inner) for inner in _PARENTHESISED.findall(value)]
    qualifiers = [part for part in inner_parts if part in _QUALIFIERS]
    if qualifiers:
        for part in qualifiers:
            candidates.add(fold_place(outside) + _QUALIFIERS[part])
            candidates.add(_QUALIFIERS[part] + fold_place(outside))
    else:
        candidates.add(fold_place(outside))
        for part in re.split(r"[/]", outside):
            candidates.add(fold_place(part))
    candidates.update(fold_place(part) for part in inner_parts if part not in _QUALIFIERS)
    # "Kamrup (M)" must not stand for a district called "M".
    return {candidate for candidate in candidates if len(candidate) >= 3}


def smart_title(name: str) -> str:
    """Title-case a name published in capitals, keeping small words and initials as they should be.

    'KAIMUR (BHABUA)' -> 'Kaimur (Bhabua)', 'LAHUL AND SPITI' -> 'Lahul and Spiti',
    'SPSR NELLORE' -> 'SPSR Nellore', 'Y.S.R.' stays. Names already in mixed case are kept.
    """
    name = clean_cell(name)
    if not name.isupper():
        return name
    first_word = True

    def recase(match: re.Match) -> str:
        nonlocal first_word
        word = match.group(0)
        is_first, first_word = first_word, False
        lower = word.lower()
        following = match.string[match.end() : match.end() + 1]
        if following == ".":  # an initial: "Y.S.R.", "S.A.S"
            return word
        if len(word) > 1 and not re.search(r"[aeiouy]", lower):  # an acronym: NTR, SPSR, NCT
            return word
        if lower in _SMALL_WORDS and not is_first:
            return lower
        return lower[0].upper() + lower[1:]

    return _WORD.sub(recase, name)
