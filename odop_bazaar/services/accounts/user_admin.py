"""What administrators do to accounts: create staff, suspend and reinstate, change a role, and
set the places a staff reviewer works on. Every change is written to the audit log and commits;
finding accounts is in queries.py."""

import secrets

from flask_babel import lazy_gettext as _l

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import Role, StaffScope, User
from odop_bazaar.models.reference import District, State
from odop_bazaar.services import outbox
from odop_bazaar.services.accounts import users
from odop_bazaar.services.accounts.staff_scope import describe
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.workflow import record


class NotAllowed(DomainError):
    pass


def _audit(actor: User, user: User, action: str, note: str, from_status=None, to_status=None):
    record(actor_id=actor.id, object_type="user", object_id=user.id, action=action,
           from_status=from_status, to_status=to_status, note=note)


def create_staff(*, email: str, full_name: str, role: Role, all_india: bool,
                 actor: User, locale: str | None = None) -> User:
    """A new staff or admin account with an unguessable password (they set their own through
    the password-reset link they are sent), its emails in `locale`. Commits.

    Raises:
        FieldErrors: a bad email, an email already in use, no name, or not a staff role.
    """
    if role not in (Role.STAFF, Role.ADMIN):
        raise FieldErrors({"role": _l("Choose staff reviewer or administrator.")})
    if not (full_name or "").strip():
        raise FieldErrors({"full_name": _l("Enter the person's name.")})
    try:
        user = users.create_user(email=email, password=secrets.token_urlsafe(32),
                                    full_name=full_name.strip()[:120], role=role,
                                    all_india=all_india, locale=locale)
    except users.AccountError as error:
        raise FieldErrors({"email": error}) from error
    _audit(actor, user, "created", str(role.label), to_status=role.value)
    outbox.notify("staff_invitation", user, actor)
    db.session.commit()
    return user


def suspend(user: User, actor: User, reason: str) -> None:
    """Suspend an account: it cannot sign in and its sessions end. Commits.

    Raises:
        FieldErrors: no reason. NotAllowed: one's own account, a seller (suspend the seller
            instead, which also takes their listings off the shop), or already suspended.
    """
    _check_change(user, actor, reason)
    if user.suspended_at is not None:
        raise NotAllowed(_l("This account is already suspended."))
    user.suspended_at = utcnow()
    _audit(actor, user, "status", reason.strip(), "active", "suspended")
    db.session.commit()


def reinstate(user: User, actor: User, reason: str) -> None:
    """Let a suspended account sign in again. Commits.

    Raises:
        FieldErrors: no reason. NotAllowed: not suspended.
    """
    _check_change(user, actor, reason)
    if user.suspended_at is None:
        raise NotAllowed(_l("This account is not suspended."))
    user.suspended_at = None
    _audit(actor, user, "status", reason.strip(), "suspended", "active")
    db.session.commit()


def _check_change(user: User, actor: User, reason: str) -> None:
    if user.id == actor.id:
        raise NotAllowed(_l("You cannot suspend or reinstate your own account."))
    if user.role == Role.SELLER:
        raise NotAllowed(_l("Sellers are suspended from their seller page, which also takes "
                            "their listings off the shop."))
    if not (reason or "").strip():
        raise FieldErrors({"reason": _l("Give the reason.")})


def change_role(user: User, role: Role, actor: User) -> None:
    """Make a staff reviewer an administrator or the other way round. Commits.

    Raises:
        NotAllowed: one's own role, or an account that is not staff.
    """
    if user.id == actor.id:
        raise NotAllowed(_l("Another administrator must change your role."))
    if user.role not in (Role.STAFF, Role.ADMIN) or role not in (Role.STAFF, Role.ADMIN):
        raise NotAllowed(_l("Only staff accounts can change between reviewer and "
                            "administrator."))
    if user.role == role:
        return
    before = user.role
    user.role = role.value
    _audit(actor, user, "role", "", before, role.value)
    db.session.commit()


def _staff_only(user: User) -> None:
    if not user.has_places:
        raise NotAllowed(_l("Only staff reviewers have places; administrators work on "
                            "everything."))


def set_all_india(user: User, all_india: bool, actor: User) -> None:
    """Let a reviewer work on every place, or only on their listed places. Commits."""
    _staff_only(user)
    if user.all_india == all_india:
        return
    before = ", ".join(describe(user))
    user.all_india = all_india
    _audit(actor, user, "scope", f"{before} → {', '.join(describe(user))}")
    db.session.commit()


def add_place(user: User, *, state_code: int | None, district_code: int | None,
              actor: User) -> None:
    """Add a whole state, or one district of it, to a reviewer's places. Commits.

    Raises:
        FieldErrors: an unknown state, or a district not in that state. NotAllowed: not staff.
    """
    _staff_only(user)
    state = db.session.get(State, state_code) if state_code else None
    if state is None:
        raise FieldErrors({"state": _l("Choose a state from the list.")})
    district = db.session.get(District, district_code) if district_code else None
    if district_code and (district is None or district.state_lgd_code != state.lgd_code):
        raise FieldErrors({"district": _l("Choose a district of %(state)s, or the whole state.",
                                          state=state.name)})
    if any((district is None and s.state_lgd_code == state.lgd_code)
           or (district is not None and s.district_lgd_code == district.lgd_code)
           for s in user.scopes):
        return  # already there: a double click adds nothing
    user.scopes.append(StaffScope(state_lgd_code=None if district else state.lgd_code,
                                  district_lgd_code=district.lgd_code if district else None))
    db.session.flush()
    db.session.refresh(user, ["scopes"])
    _audit(actor, user, "scope", str(_l("added %(place)s", place=district.name if district
                                         else state.name)))
    db.session.commit()


def remove_place(user: User, scope_id: int, actor: User) -> bool:
    """Take a place off a reviewer's list (with none left they see nothing). Commits.

    Returns False when the place is not on their list (already removed: a double click).
    """
    _staff_only(user)
    scope = next((s for s in user.scopes if s.id == scope_id), None)
    if scope is None:
        return False
    name = scope.district.name if scope.district else scope.state.name
    user.scopes.remove(scope)
    _audit(actor, user, "scope", str(_l("removed %(place)s", place=name)))
    db.session.commit()
    return True

