"""Personal access tokens for the JSON API: made on the account page, shown once, used in an
Authorization header, revoked by their person (see models/api_access.py)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.api_access import SCOPES_FOR_ROLE, ApiScope, ApiToken
from odop_bazaar.services.errors import DomainError, FieldErrors

# Not a password: the label every secret starts with, so that secret scanners (and people)
# recognise a leaked token.
SECRET_PREFIX = "odop_"  # nosec B105
EXPIRY_CHOICES_DAYS = (7, 30, 90, 365)
MAX_LIVE_TOKENS = 20
# A token's last use is written at most this often: a busy app would otherwise write a row on
# every request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenRefused(DomainError):
    """The Authorization header names no token that may be used now."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the person once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def scopes_for(user: User) -> tuple[ApiScope, ...]:
    """The scopes this person may give a token."""
    return SCOPES_FOR_ROLE[user.role_enum]


def create_token(user: User, *, name: str, scopes: list[str], expires_in_days: int) -> NewToken:
    """Make a token for `user`; its secret is returned once.

    Raises:
        FieldErrors: no name, a scope the person's role cannot give, an expiry not offered, or
            too many live tokens.
    """
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 80:
        errors["name"] = _l("Give the token a name of up to 80 characters, like “Shop app”.")
    allowed = {scope.value for scope in scopes_for(user)}
    if not scopes:
        errors["scopes"] = _l("Choose at least one thing the token may do.")
    elif not set(scopes) <= allowed:
        errors["scopes"] = _l("Your account cannot give a token that permission.")
    if expires_in_days not in EXPIRY_CHOICES_DAYS:
        errors["expires_in_days"] = _l("Choose how long the token lasts.")
    if len(live_tokens(user)) >= MAX_LIVE_TOKENS:
        errors["name"] = _l("You have %(count)d tokens in use: revoke one you no longer need "
                            "first.", count=MAX_LIVE_TOKENS)
    if errors:
        raise FieldErrors(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:len(SECRET_PREFIX) + 6],
                     token_digest=digest(secret),
                     scopes=" ".join(sorted(set(scopes))),
                     expires_at=utcnow() + timedelta(days=expires_in_days))
    db.session.add(token)
    db.session.commit()
    return NewToken(token, secret)


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of the person's tokens; False when they have no such live token."""
    changed = db.session.execute(
        update(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id,
                               ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())).rowcount
    db.session.commit()
    return bool(changed)


def live_tokens(user: User) -> list[ApiToken]:
    """The person's tokens that are not revoked, newest first (expired ones included)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def authenticate(secret: str) -> ApiToken:
    """The token this secret names, noting its use.

    Raises:
        TokenRefused: unknown, revoked or expired, or its person is suspended.
    """
    token = None
    if secret.startswith(SECRET_PREFIX) and len(secret) < 100:
        token = db.session.scalar(select(ApiToken).where(ApiToken.token_digest == digest(secret)))
    now = utcnow()
    if token is None or not token.usable_at(now):
        raise TokenRefused(_l("This token is not valid: it may have expired or been revoked."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        # Its own small commit before the request's work: noting a use is not part of it.
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id)
                           .values(last_used_at=now))
        db.session.commit()
    return token
