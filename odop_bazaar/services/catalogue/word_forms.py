"""The forms of a word a search should treat as that word: its sound across scripts, its Hindi
plural, and its translation in the shop's glossary.

- **Sound keys.** "kundan" and "कुंदन" are one word in two scripts. Both are reduced to the
  consonants a listener hears (Devanagari through anyascii first): `kndn`. The search document
  keeps the keys of its words in a column of their own, marked by the script they came from
  ("lat…" for Latin words, "dev…" for Devanagari), and a query word is looked up among the keys
  of the *other* script, and, for a Hindi word, among Hindi keys too (so a Hindi plural or a
  spelling with or without the nukta still meets its word). A Latin word is not looked up among
  Latin keys: "banarsi" for "banarasi" is a misspelling, which spelling.py corrects and says so.
- **Hindi plurals.** चूड़ियाँ, साड़ियों and मालाएँ are reduced to चूड़ी, साड़ी and माला before
  their key is taken.
- **The glossary** (data/search_glossary.csv): the common words of crafts and produce in English
  and Hindi, so "चूड़ी" finds "glass bangles" and "necklace" finds "हार".
"""

import csv
import re
import unicodedata
from functools import cache
from importlib import resources

from anyascii import anyascii

SHORTEST_KEY = 2  # a key of one consonant would match half the shop

# Plural and oblique endings, longest first: (ending, what the word ends with instead).
_HINDI_ENDINGS = (
    ("ियाँ", "ी"), ("ियां", "ी"), ("ियों", "ी"), ("ाएँ", "ा"), ("ाएं", "ा"), ("ाओं", "ा"),
    ("ें", ""), ("ों", ""), ("ां", "ा"),
)
# Romanisations that sound alike, in the order they are applied (anyascii writes ड़ as d').
_SAME_SOUNDS = (
    ("d'", "r"), ("r'", "r"), ("'", ""), ("ph", "f"), ("sh", "s"), ("ch", "c"), ("kh", "k"),
    ("gh", "g"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("jh", "j"), ("ck", "k"), ("z", "j"),
    ("q", "k"), ("w", "v"), ("x", "ks"), ("ee", "i"), ("oo", "u"),
)
_NASAL_BEFORE_CONSONANT = re.compile(r"m(?=[bcdfgjklnpqrstvxz])")
_VOWELS = re.compile(r"[aeiouy]|(?<=.)h")
_DOUBLES = re.compile(r"(.)\1+")
_FINAL_OW = re.compile(r"ow$")  # "Lucknow" ends as लखनऊ does


def is_devanagari(word: str) -> bool:
    return any("\u0900" <= character <= "\u097f" for character in word)


def hindi_stem(word: str) -> str:
    """The word without a plural or oblique ending (चूड़ियाँ → चूड़ी), if enough is left."""
    for ending, instead in _HINDI_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)] + instead
    return word


def sound_key(word: str) -> str:
    """The consonants a listener hears in this word, in either script ("" when too short)."""
    latin = _FINAL_OW.sub("u", anyascii(hindi_stem(word) if is_devanagari(word) else word)
                          .lower())
    for written, heard in _SAME_SOUNDS:
        latin = latin.replace(written, heard)
    latin = _NASAL_BEFORE_CONSONANT.sub("n", latin)
    key = _DOUBLES.sub(r"\1", _VOWELS.sub("", "".join(filter(str.isalpha, latin))))
    return key if len(key) >= SHORTEST_KEY else ""


def key_token(word: str, *, of_script: str | None = None) -> str:
    """The key as the index stores it: marked with the script it was heard in."""
    key = sound_key(word)
    if not key:
        return ""
    script = of_script or ("dev" if is_devanagari(word) else "lat")
    return f"{script}{key}"


def document_keys(words: list[str]) -> str:
    """The sounds column of a search document: each word's key, once."""
    return " ".join(dict.fromkeys(filter(None, (key_token(word) for word in words))))


def singular(word: str) -> str:
    """An English plural's singular, crudely ("bangles" → "bangle"), for glossary lookups."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@cache
def glossary() -> dict[str, tuple[str, ...]]:
    """Each glossary word (English singular, or Hindi without its plural) → its translations."""
    translations: dict[str, list[str]] = {}
    source = resources.files("odop_bazaar") / "data" / "search_glossary.csv"
    with source.open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(line for line in lines if not line.startswith("#")):
            english = [word.strip().lower() for word in row["english"].split("|")]
            hindi = [unicodedata.normalize("NFC", word.strip())
                     for word in row["hindi"].split("|")]
            for word in english:
                translations.setdefault(word, []).extend(hindi)
            for word in hindi:
                translations.setdefault(hindi_stem(word), []).extend(english)
    return {word: tuple(dict.fromkeys(found)) for word, found in translations.items()}


def translations(word: str) -> tuple[str, ...]:
    """The glossary's words for this one in the other language (none when it has none)."""
    found = glossary()
    if is_devanagari(word):
        return found.get(hindi_stem(word), ())
    return found.get(word, ()) or found.get(singular(word), ())
