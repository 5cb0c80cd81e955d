"""Machine access to the JSON API: personal access tokens, and the answers kept for retried
requests (Idempotency-Key).

A token is shown once when it is made; only its SHA-256 digest is stored (the secret has 256
random bits, so a slow password hash would add nothing but time on every request). Its scopes
say what it may do, on top of what its person may do: a token never reaches further than the
account that made it, and a suspended account's tokens stop working with it.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.models.labelled_enum import LabelledEnum


class ApiScope(LabelledEnum):
    READ = "read", _l("Read your own data: listings, orders, payouts, checklist")
    SELLER_WRITE = "seller:write", _l("Change your listings and orders (sellers)")
    STAFF = "staff", _l("Review sellers and listings (staff)")


# Which scopes each role may give its tokens.
SCOPES_FOR_ROLE = {
    Role.BUYER: (ApiScope.READ,),
    Role.SELLER: (ApiScope.READ, ApiScope.SELLER_WRITE),
    Role.STAFF: (ApiScope.READ, ApiScope.STAFF),
    Role.ADMIN: (ApiScope.READ, ApiScope.STAFF),
}


class ApiToken(db.Model):
    """A personal access token: a name, scopes, an expiry; revoked rather than deleted."""

    __table_args__ = (
        CheckConstraint("length(token_digest) = 64", name="digest_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The first characters of the secret, so a person can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(120))  # space-separated ApiScope values
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def has_scope(self, scope: ApiScope) -> bool:
        return scope.value in self.scope_set

    def usable_at(self, now: datetime) -> bool:
        """Not revoked, not expired, and its person may still use the site."""
        return self.revoked_at is None and now < self.expires_at and self.user.is_active


class IdempotentRequest(db.Model):
    """A create request made with an Idempotency-Key, and the answer it got.

    The row is written before the work starts (its unique key stops a second copy running at
    the same time) and completed with the answer after; only successful answers are kept, so a
    refused request may be corrected and sent again with the same key.
    """

    __table_args__ = (
        UniqueConstraint("token_id", "key"),
        Index("ix_idempotent_request_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    # Method, path and a digest of the body: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
