"""Which state and district a row of an ODOP list stands for, by LGD code and by name.

Published lists mix LGD codes, old spellings and names with the old name in brackets; this
finds the one district a row means, or says why it cannot. Reads only.
"""

import re
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.services.reference.odop_csv import ListRow
from odop_bazaar.text import fold_place, place_name_candidates

# Older or informal names of states that a published list may use.
STATE_ALIASES = {
    "orissa": "odisha",
    "pondicherry": "puducherry",
    "uttaranchal": "uttarakhand",
    "nctofdelhi": "delhi",
    "newdelhi": "delhi",
    "andamanandnicobar": "andamanandnicobarislands",
    "jandk": "jammuandkashmir",
    "dnhanddd": "dadraandnagarhavelianddamananddiu",
}


def _code(value: str) -> int | None:
    # ASCII digits only: "17¹" passes str.isdigit() but is no code.
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else None


class PlaceMatcher:
    """Look-ups of states and districts by code and by name.

    Names come from two places: the LGD names (official) and the spellings earlier lists used
    (learned). A learned spelling only ever helps a row whose code is missing or wrong; it never
    overrides a code, so one odd spelling cannot drag later rows to the wrong district.
    """

    def __init__(self) -> None:
        self.states = {s.lgd_code: s for s in db.session.scalars(select(State))}
        self.districts = {d.lgd_code: d for d in db.session.scalars(select(District))}
        self.state_by_key: dict[str, State] = {}
        for state in self.states.values():
            self.state_by_key[fold_place(state.lgd_name)] = state
            self.state_by_key[fold_place(state.name)] = state
        self.official = self._index(
            (d.state_lgd_code, name, d.lgd_code)
            for d in self.districts.values() for name in (d.lgd_name, d.name))
        spellings = db.session.execute(
            select(OdopProduct.district_spelling, OdopProduct.district_lgd_code).distinct())
        self.learned = self._index(
            (self.districts[code].state_lgd_code, spelling, code)
            for spelling, code in spellings if spelling and spelling.strip())

    @staticmethod
    def _index(entries) -> dict[int, dict[str, set[int]]]:
        index: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for state_code, name, district_code in entries:
            key = fold_place(name)
            if key:
                index[state_code][key].add(district_code)
        return index

    def state_for(self, row: ListRow) -> State | str:
        """The row's state or UT, or why none matches."""
        if row.state_code:
            code = _code(row.state_code)
            if code not in self.states:
                return _("unknown LGD state code '%(code)s'", code=row.state_code)
            return self.states[code]
        key = fold_place(row.state)
        state = self.state_by_key.get(STATE_ALIASES.get(key, key))
        if state is None:
            return _("unknown state or UT '%(name)s'", name=row.state or "-")
        return state

    def by_name(self, state: State, published: str) -> tuple[set[int], bool]:
        """Districts of the state a published name stands for, and whether it matched whole.

        Tries the whole name, then its readings ('Ayodhya (Faizabad)'), official names first.
        """
        whole = fold_place(published)
        if not whole:
            return set(), False
        for index in (self.official, self.learned):
            found = index[state.lgd_code].get(whole)
            if found:
                return set(found), True
        for index in (self.official, self.learned):
            found: set[int] = set()
            for candidate in place_name_candidates(published):
                found |= index[state.lgd_code].get(candidate, set())
            if found:
                return found, False
        return set(), False

    def district_for(self, row: ListRow, state: State) -> tuple[District | None, str]:
        """The row's district and a note (a correction when district is set, else the reason)."""
        code = _code(row.district_code)
        coded = self.districts.get(code) if code is not None else None
        if coded is not None and coded.state_lgd_code == state.lgd_code:
            return self._coded_in_state(row, state, coded)
        found, whole = self.by_name(state, row.district)
        named = self.districts[next(iter(found))] if len(found) == 1 else None
        if coded is not None:
            return self._coded_elsewhere(row, state, coded, named)
        if named is not None:
            if not row.district_code and whole:
                return named, ""
            return named, _("LGD code '%(code)s' is not known; '%(name)s' matched %(named)s "
                            "(%(n)d) by name", code=row.district_code or "-",
                            name=row.district, named=named.name, n=named.lgd_code)
        if len(found) > 1:
            return None, _("'%(name)s' could be more than one district of %(state)s",
                           name=row.district, state=state.name)
        return None, _("no district of %(state)s has LGD code '%(code)s' or the name '%(name)s'",
                       state=state.name, code=row.district_code or "-", name=row.district or "-")

    def _coded_in_state(self, row: ListRow, state: State,
                        coded: District) -> tuple[District, str]:
        # A code of the right state stands unless the whole name is, officially, another
        # district's ("Kamrup (M)" is Kamrup Metro's code and must not move to Kamrup).
        official = self.official[state.lgd_code].get(fold_place(row.district), set())
        if len(official) == 1 and coded.lgd_code not in official:
            named = self.districts[next(iter(official))]
            return named, _(
                "LGD code %(code)d is %(coded)s; '%(name)s' matched %(named)s (%(named_code)d) "
                "by name", code=coded.lgd_code, coded=coded.name, name=row.district,
                named=named.name, named_code=named.lgd_code)
        return coded, ""

    @staticmethod
    def _coded_elsewhere(row: ListRow, state: State, coded: District,
                         named: District | None) -> tuple[District | None, str]:
        # The code is another state's district: the name decides, and the note says so.
        if named is not None:
            return named, _(
                "LGD code %(code)d is %(coded)s in %(other)s; '%(name)s' matched %(named)s "
                "(%(named_code)d) in %(state)s by name", code=coded.lgd_code, coded=coded.name,
                other=coded.state.name, name=row.district, named=named.name,
                named_code=named.lgd_code, state=state.name)
        return None, _(
            "LGD code %(code)d is %(coded)s in %(other)s, and no district of %(state)s is "
            "named '%(name)s'", code=coded.lgd_code, coded=coded.name, other=coded.state.name,
            state=state.name, name=row.district)
