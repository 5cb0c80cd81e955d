"""Read-only queries behind the public pages about states, districts, sectors and ODOP products."""

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from odop_bazaar import localized
from odop_bazaar.extensions import db
from odop_bazaar.models.reference import (
    RANKS,
    SECTORS,
    District,
    OdopProduct,
    State,
    Term,
)

SEARCH_LIMIT = 60

_RANK_POSITION = case({term.value: position for position, term in enumerate(RANKS)},
                      value=OdopProduct.rank, else_=len(RANKS))
_live = OdopProduct.retired_at.is_(None)


@dataclass(frozen=True)
class SectorSummary:
    term: Term
    products: int
    districts: int


@dataclass(frozen=True)
class StateSummary:
    state: State
    districts: int
    products: int


def all_states() -> list[State]:
    """Every state and union territory, by name."""
    return list(db.session.scalars(select(State).order_by(State.name)))


def districts_of(state_code: int | None) -> list[District]:
    """The districts of a state, by name (none for no state)."""
    if not state_code:
        return []
    return list(db.session.scalars(
        select(District).where(District.state_lgd_code == state_code).order_by(District.name)))


def states_with_districts() -> list[tuple[State, list[District]]]:
    """Every state with its districts, both by name, in two queries."""
    districts: dict[int, list[District]] = {}
    for district in db.session.scalars(select(District).order_by(District.name)):
        districts.setdefault(district.state_lgd_code, []).append(district)
    return [(state, districts.get(state.lgd_code, [])) for state in all_states()]


def live_products_of(district_code: int | None) -> list[OdopProduct]:
    """The district's ODOP products that are not retired, by name."""
    if not district_code:
        return []
    return list(db.session.scalars(
        select(OdopProduct).where(OdopProduct.district_lgd_code == district_code, _live)
        .order_by(OdopProduct.name)))


def sector_summaries() -> list[SectorSummary]:
    """Each sector with its number of live ODOP products and of districts having one."""
    rows = db.session.execute(
        select(OdopProduct.sector, func.count(),
               func.count(func.distinct(OdopProduct.district_lgd_code)))
        .where(_live).group_by(OdopProduct.sector)
    ).all()
    counts = {sector: (products, districts) for sector, products, districts in rows}
    return [SectorSummary(term, *counts.get(term.value, (0, 0))) for term in SECTORS]


def state_summaries() -> list[StateSummary]:
    """Every state/UT with its number of districts and live ODOP products, by name."""
    districts = dict(db.session.execute(
        select(District.state_lgd_code, func.count()).group_by(District.state_lgd_code)).all())
    products = dict(db.session.execute(
        select(District.state_lgd_code, func.count(OdopProduct.id))
        .join(OdopProduct, OdopProduct.district_lgd_code == District.lgd_code)
        .where(_live).group_by(District.state_lgd_code)).all())
    states = db.session.scalars(select(State).order_by(State.name)).all()
    return [StateSummary(s, districts.get(s.lgd_code, 0), products.get(s.lgd_code, 0))
            for s in states]


def districts_with_products(state: State) -> list[tuple[District, list[OdopProduct]]]:
    """The state's districts by name, each with its live ODOP products by rank."""
    districts = db.session.scalars(
        select(District).where(District.state_lgd_code == state.lgd_code).order_by(District.name)
    ).all()
    by_district = _products_by_district([d.lgd_code for d in districts])
    return [(d, by_district.get(d.lgd_code, [])) for d in districts]


def district_products(district: District) -> list[OdopProduct]:
    """The district's live ODOP products, Primary first."""
    return _products_by_district([district.lgd_code]).get(district.lgd_code, [])


def _products_by_district(codes: list[int]) -> dict[int, list[OdopProduct]]:
    grouped: dict[int, list[OdopProduct]] = {}
    if not codes:
        return grouped
    products = db.session.scalars(
        select(OdopProduct)
        .where(OdopProduct.district_lgd_code.in_(codes), _live)
        .order_by(_RANK_POSITION, OdopProduct.name)
    )
    for product in products:
        grouped.setdefault(product.district_lgd_code, []).append(product)
    return grouped


def sector_products(term: Term) -> list[tuple[State, list[OdopProduct]]]:
    """A sector's live ODOP products grouped by state, then by district name."""
    products = db.session.scalars(
        select(OdopProduct)
        .join(OdopProduct.district).join(District.state)
        .where(OdopProduct.sector == term.value, _live)
        .options(contains_eager(OdopProduct.district).contains_eager(District.state))
        .order_by(State.name, District.name, _RANK_POSITION, OdopProduct.name)
    )
    grouped: dict[int, tuple[State, list[OdopProduct]]] = {}
    for product in products:
        state = product.district.state
        grouped.setdefault(state.lgd_code, (state, []))[1].append(product)
    return list(grouped.values())


def search_reference(query: str) -> tuple[list[OdopProduct], list[District], list[State]]:
    """ODOP products, districts and states whose names contain every word of the query.

    Listings join this search when the storefront lands; until then it finds places and crafts.
    """
    words = [w for w in query.split() if w][:8]
    if not words:
        return [], [], []

    def all_words(*columns):
        return [or_(*(func.lower(c).contains(w.lower(), autoescape=True) for c in columns))
                for w in words]

    products = db.session.scalars(
        select(OdopProduct).join(OdopProduct.district).join(District.state)
        .where(_live, *all_words(OdopProduct.name, OdopProduct.district_spelling,
                                 District.name, State.name))
        .options(contains_eager(OdopProduct.district).contains_eager(District.state))
        .order_by(_RANK_POSITION, OdopProduct.name).limit(SEARCH_LIMIT)
    ).all()
    districts = db.session.scalars(
        select(District).where(*all_words(District.name, District.lgd_name))
        .options(joinedload(District.state)).order_by(District.name).limit(SEARCH_LIMIT)
    ).all()
    states = db.session.scalars(
        select(State).where(*all_words(State.name)).order_by(State.name)
    ).all()
    return products, districts, states


def localize_facets(result) -> None:
    """In Hindi, label a search result's state and district facets (search.Facet, built afresh
    for each result) with their Hindi names where the reference data has them. In place."""
    if not localized.in_hindi():
        return
    for model, facets in ((State, result.states), (District, result.districts)):
        codes = [facet.value for facet in facets]
        if not codes:
            continue
        names = dict(db.session.execute(select(model.lgd_code, model.name_hi).where(
            model.lgd_code.in_(codes), model.name_hi.is_not(None))).all())
        for facet in facets:
            facet.label = names.get(facet.value) or facet.label


def state_choices() -> list[tuple[int, str]]:
    """Every state and union territory as (LGD code, name in the reader's language), in the
    order of those names: for a form's list of states."""
    return sorted(((state.lgd_code, localized.localized(state)) for state in all_states()),
                  key=lambda choice: choice[1])


def district_choices(state_code: int | None) -> list[tuple[int, str]]:
    """A state's districts as (LGD code, name in the reader's language), in that order."""
    return sorted(((district.lgd_code, localized.localized(district))
                   for district in districts_of(state_code)), key=lambda choice: choice[1])
