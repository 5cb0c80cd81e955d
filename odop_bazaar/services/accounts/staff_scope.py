"""Which sellers, listings and orders a staff member works on.

ODOP is run district by district: a reviewer may be scoped to some states and districts and then
sees and decides only what belongs to sellers there. Admins, and staff marked "all India", work
on everything. Every staff query and every staff look-up of one object goes through a Scope.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, or_, select, true

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import Role, StaffScope, User
from odop_bazaar.models.reference import District
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.errors import DomainError


class OutOfScope(DomainError):
    """The object belongs to a place this staff member does not work on."""


@dataclass(frozen=True)
class Scope:
    all_india: bool
    states: frozenset[int] = frozenset()
    districts: frozenset[int] = frozenset()

    def covers(self, state_code: int | None, district_code: int | None) -> bool:
        return (self.all_india or (state_code is not None and state_code in self.states)
                or (district_code is not None and district_code in self.districts))

    def covers_seller(self, seller: Seller | None) -> bool:
        return seller is not None and self.covers(seller.state_lgd_code, seller.district_lgd_code)

    def place_filter(self, state_column, district_column):
        """An SQL condition: the row's place is in this scope."""
        if self.all_india:
            return true()
        conditions = []
        if self.states:
            conditions.append(state_column.in_(sorted(self.states)))
        if self.districts:
            conditions.append(district_column.in_(sorted(self.districts)))
        return or_(*conditions) if conditions else false()

    def seller_filter(self):
        return self.place_filter(Seller.state_lgd_code, Seller.district_lgd_code)

    def seller_ids(self):
        """A subquery of the ids of the sellers in scope (for listings and orders)."""
        return select(Seller.id).where(self.seller_filter())

    def district_filter(self):
        return self.place_filter(District.state_lgd_code, District.lgd_code)


ALL_INDIA = Scope(all_india=True)


def scope_of(user: User) -> Scope:
    """The places a staff member works on; nothing for anyone who is not staff."""
    if not user.is_authenticated or not user.is_staff:
        return Scope(all_india=False)
    if user.is_admin or user.all_india:
        return ALL_INDIA
    rows = db.session.execute(select(StaffScope.state_lgd_code, StaffScope.district_lgd_code)
                              .where(StaffScope.user_id == user.id)).all()
    return Scope(all_india=False,
                 states=frozenset(state for state, _ in rows if state is not None),
                 districts=frozenset(district for _, district in rows if district is not None))


def staff_covering(seller: Seller) -> list[User]:
    """The active staff who work on this seller's place: scoped there, all-India, or admins."""
    scoped_here = select(StaffScope.user_id).where(or_(
        StaffScope.state_lgd_code == seller.state_lgd_code,
        StaffScope.district_lgd_code == seller.district_lgd_code))
    return list(db.session.scalars(select(User).where(
        User.role.in_([Role.STAFF.value, Role.ADMIN.value]), User.suspended_at.is_(None),
        or_(User.role == Role.ADMIN.value, User.all_india, User.id.in_(scoped_here)))
        .order_by(User.id)))


def check_seller(user: User, seller: Seller | None) -> Seller:
    """The seller, if this staff member works on their place.

    Raises:
        OutOfScope: no such seller, or not in the staff member's states and districts.
    """
    if seller is None or not scope_of(user).covers_seller(seller):
        raise OutOfScope(_l("That seller is not in the places you work on."))
    return seller


def describe(user: User) -> list[str]:
    """The staff member's places in words, for the staff list."""
    if user.is_admin or user.all_india:
        return [str(_l("All India"))]
    names = []
    for scope in user.scopes:
        if scope.state is not None:
            names.append(str(_l("%(state)s (whole state)", state=scope.state.name)))
        elif scope.district is not None:
            names.append(f"{scope.district.name}, {scope.district.state.name}")
    return names

