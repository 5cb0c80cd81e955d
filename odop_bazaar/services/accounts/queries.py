"""Finding accounts: by email, the administrators' list with its filters, and why an account
was last suspended or reinstated. Never commits."""

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import Role, StaffScope, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.reference import District
from odop_bazaar.services.accounts.users import AccountError, normalise_email

USERS_PAGE = 50


def find_by_email(email: str) -> User | None:
    """The account with this address, or None (also for a malformed address)."""
    try:
        email = normalise_email(email)
    except AccountError:
        return None
    return db.session.scalar(select(User).where(User.email == email))


@dataclass
class UserFilters:
    role: str | None = None
    text: str | None = None  # part of a name or email
    suspended: bool = False
    page: int = 1


def find_users(filters: UserFilters) -> tuple[list[User], int]:
    """Accounts matching the filters, staff first then newest, one page, and how many match."""
    query = select(User)
    if filters.role in {r.value for r in Role}:
        query = query.where(User.role == filters.role)
    if filters.text:
        pattern = "%" + filters.text.strip().lower().replace("\\", "\\\\").replace(
            "%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(func.lower(User.email).like(pattern, escape="\\"),
                                func.lower(User.full_name).like(pattern, escape="\\")))
    if filters.suspended:
        query = query.where(User.suspended_at.is_not(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, filters.page)
    users = db.session.scalars(
        query.order_by(case((User.role.in_((Role.STAFF.value, Role.ADMIN.value)), 0), else_=1),
                       User.created_at.desc(), User.id.desc())
        .offset((page - 1) * USERS_PAGE).limit(USERS_PAGE)
        .options(selectinload(User.scopes).selectinload(StaffScope.district)
                 .selectinload(District.state),
                 selectinload(User.scopes).selectinload(StaffScope.state))).all()
    return users, total


def last_status_note(user: User) -> str | None:
    """Why the account was last suspended or reinstated."""
    return db.session.scalar(
        select(AuditEntry.note).where(AuditEntry.object_type == "user",
                                      AuditEntry.object_id == user.id,
                                      AuditEntry.action == "status")
        .order_by(AuditEntry.id.desc()).limit(1))
