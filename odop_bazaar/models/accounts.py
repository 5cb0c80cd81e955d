"""People who use the marketplace: buyers, sellers, staff reviewers and admins."""

import enum
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db, login_manager


class Role(enum.StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    STAFF = "staff"
    ADMIN = "admin"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.BUYER: _l("Buyer"),
    Role.SELLER: _l("Seller"),
    Role.STAFF: _l("Staff reviewer"),
    Role.ADMIN: _l("Administrator"),
}


class User(UserMixin, db.Model):
    """An account. The email is stored normalised (see services.accounts.normalise_email)."""

    __table_args__ = (
        CheckConstraint("role IN ('buyer', 'seller', 'staff', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.BUYER.value)
    mobile: Mapped[str | None] = mapped_column(String(10))  # ten digits, no +91
    locale: Mapped[str | None] = mapped_column(String(8))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def get_id(self) -> str:
        # Part of the password hash rides in the session: changing the password ends every
        # other session and "remember me" cookie.
        return f"{self.id}:{self.password_hash[-12:]}"

    def set_password(self, password: str) -> None:
        # Werkzeug's default (scrypt) unless configured otherwise: the test suite uses a cheap
        # method so that hundreds of log-ins stay fast.
        method = current_app.config.get("PASSWORD_HASH_METHOD")
        self.password_hash = (generate_password_hash(password, method=method) if method
                              else generate_password_hash(password))

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_staff(self) -> bool:
        """Staff reviewers and admins (an admin can do everything staff can)."""
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_role(self, *roles: Role) -> bool:
        """True when the user holds one of the roles; admins hold the staff role too."""
        if self.role in roles:
            return True
        return self.role == Role.ADMIN and Role.STAFF in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, fingerprint = session_id.partition(":")
    if not user_id.isdigit() or len(user_id) > 12:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.password_hash[-12:] != fingerprint:
        return None
    return user
