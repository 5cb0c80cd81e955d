"""The shipped Hindi names cover the whole reference list: every state, district and ODOP product
has one, in Devanagari, and no row names something the list does not have."""

import csv
import re
import unicodedata

from odop_bazaar import paths
from odop_bazaar.text import fold

REFERENCE = paths.HINDI_NAMES.parent
DEVANAGARI = re.compile(r"[\u0900-\u097F][\u0900-\u097F0-9 ,/().-]*")


def _rows(folder, name):
    with open(folder / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _problems(codes_in_list: dict[str, str], rows: list[dict], key: str) -> list[str]:
    named = {}
    problems = []
    for row in rows:
        value, name_hi = row[key], row["name_hi"]
        if value not in codes_in_list:
            problems.append(f"{value!r} is not in the reference list")
        elif not DEVANAGARI.fullmatch(name_hi or ""):
            problems.append(f"{value!r} has no Hindi name in Devanagari: {name_hi!r}")
        elif unicodedata.normalize("NFC", name_hi) != name_hi:
            problems.append(f"{value!r}: not written in NFC (search would not meet it)")
        named[value] = name_hi
    problems += [f"{value!r} ({label}) has no row" for value, label in codes_in_list.items()
                 if value not in named]
    return problems


def test_every_state_district_and_odop_product_has_a_hindi_name():
    states = {row["state_lgd_code"]: row["state_name"]
              for row in _rows(REFERENCE, "lgd_states.csv")}
    districts = {row["district_lgd_code"]: row["district_name"]
                 for row in _rows(REFERENCE, "lgd_districts.csv")}
    products = {row["product"]: row["district"] for row in _rows(REFERENCE, "odop_products.csv")}
    assert (len(states), len(districts), len(products)) == (36, 773, 845)
    folder = paths.HINDI_NAMES
    problems = (_problems(states, _rows(folder, "states_hi.csv"), "state_lgd_code")
                + _problems(districts, _rows(folder, "districts_hi.csv"), "district_lgd_code")
                + _problems(products, _rows(folder, "products_hi.csv"), "product"))
    assert problems == []


def test_spellings_of_one_product_share_its_hindi_name():
    """The import matches a product by its folded name: two spellings of one product with two
    Hindi names would leave one of them unused."""
    by_key: dict[str, set[str]] = {}
    for row in _rows(paths.HINDI_NAMES, "products_hi.csv"):
        by_key.setdefault(fold(row["product"]), set()).add(row["name_hi"])
    assert {key: names for key, names in by_key.items() if len(names) > 1} == {}
