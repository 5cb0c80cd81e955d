"""People who use the marketplace: buyers, sellers, staff reviewers and admins."""

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db, login_manager
from odop_bazaar.models.labelled_enum import LabelledEnum


class Role(LabelledEnum):
    BUYER = "buyer", _l("Buyer")
    SELLER = "seller", _l("Seller")
    STAFF = "staff", _l("Staff reviewer")
    ADMIN = "admin", _l("Administrator")


class User(UserMixin, db.Model):
    """An account. The email is stored normalised (see services.accounts.users.normalise_email)."""

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
    # An admin suspended the account: it cannot sign in and its sessions end (reason: audit log).
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff only: works on every state and district. Otherwise a reviewer works only on the
    # places in their StaffScope rows, and with none on nothing: removing a reviewer's last
    # district must never widen what they see.
    all_india: Mapped[bool] = mapped_column(default=False)

    scopes: Mapped[list["StaffScope"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="StaffScope.id",
        foreign_keys="StaffScope.user_id")

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
    def is_seller(self) -> bool:
        return self.role == Role.SELLER

    @property
    def is_buyer(self) -> bool:
        return self.role == Role.BUYER

    @property
    def has_places(self) -> bool:
        """Whether this account's work is limited to the places listed for it: staff reviewers'
        is; administrators work on everything."""
        return self.role == Role.STAFF

    def role_changeable_by(self, admin: "User") -> bool:
        """Whether this admin may switch the account between reviewer and administrator: a
        staff account, and not their own (another administrator changes that)."""
        return self.is_staff and self.id != admin.id

    def status_changeable_by(self, admin: "User") -> bool:
        """Whether this admin may suspend or reinstate the account from the accounts page: not
        their own, and not a seller's (suspended from the seller page, with their listings)."""
        return not self.is_seller and self.id != admin.id

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses to sign in an inactive (suspended) account."""
        return self.suspended_at is None

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
    if user is None or user.password_hash[-12:] != fingerprint or not user.is_active:
        return None  # a suspended account's sessions end at its next request
    return user


class StaffScope(db.Model):
    """A state or a district that a staff reviewer works on (one of the two per row)."""

    __table_args__ = (
        CheckConstraint("(state_lgd_code IS NULL) <> (district_lgd_code IS NULL)",
                        name="state_or_district"),
        UniqueConstraint("user_id", "state_lgd_code"),
        UniqueConstraint("user_id", "district_lgd_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    state_lgd_code: Mapped[int | None] = mapped_column(ForeignKey("state.lgd_code"))
    district_lgd_code: Mapped[int | None] = mapped_column(ForeignKey("district.lgd_code"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="scopes", foreign_keys=[user_id])
    state = relationship("State")
    district = relationship("District")
