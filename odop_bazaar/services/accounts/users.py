"""Accounts: registration, sign-in, email verification, password reset and change, language."""

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.services import outbox
from odop_bazaar.services.errors import DomainError

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
SELF_REGISTERING_ROLES = (Role.BUYER, Role.SELLER)


class AccountError(DomainError):
    """A refused account action; str() is a message for the person."""


class EmailTaken(AccountError):
    pass


class BadToken(AccountError):
    pass


class WrongPassword(AccountError):
    pass


# Checked when no account matches, so a log-in takes as long for unknown addresses.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass(frozen=True)
class TokenUse:
    salt: str
    max_age_setting: str


EMAIL_VERIFICATION = TokenUse("email-verification", "EMAIL_VERIFY_MAX_AGE")
PASSWORD_RESET = TokenUse("password-reset", "PASSWORD_RESET_MAX_AGE")


def normalise_email(raw: str) -> str:
    """The canonical form of an address: validated syntax, lower-cased.

    Raises:
        AccountError: not a valid email address.
    """
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(_l("Enter an email address like name@example.com.")) from error
    # Mail providers treat the local part case-insensitively in practice; one person, one account.
    return result.normalized.lower()


def check_password_rules(password: str, email: str = "") -> None:
    """Raises AccountError when a new password is too short, too long or is the email."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(_l("Use at least %(n)d characters.", n=PASSWORD_MIN_LENGTH))
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError(_l("Use at most %(n)d characters.", n=PASSWORD_MAX_LENGTH))
    if email and password.strip().lower() == email.lower():
        raise AccountError(_l("Do not use your email address as your password."))


def create_user(
    *,
    email: str,
    password: str,
    full_name: str,
    role: Role = Role.BUYER,
    mobile: str | None = None,
    locale: str | None = None,
    email_verified: bool = False,
    all_india: bool = False,
    send_verification: bool = False,
) -> User:
    """Create an account and commit (all_india: a staff reviewer who works on every place;
    send_verification: the link to confirm the address is mailed with it).

    Raises:
        AccountError: the email or password is not acceptable.
        EmailTaken: an account with this email exists.
    """
    email = normalise_email(email)
    check_password_rules(password, email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTaken(_l("An account with this email already exists. Log in, or reset "
                            "your password if you have forgotten it."))
    user = User(email=email, full_name=full_name.strip(), role=role.value, mobile=mobile or None,
                locale=locale, email_verified_at=utcnow() if email_verified else None,
                all_india=all_india and role == Role.STAFF)
    user.set_password(password)
    db.session.add(user)
    if send_verification:
        outbox.notify("email_verification", user)
    try:
        db.session.commit()
    except IntegrityError as error:  # two registrations racing for one address
        db.session.rollback()
        raise EmailTaken(_l("An account with this email already exists.")) from error
    return user


def register(*, email: str, password: str, full_name: str, role: Role, mobile: str | None,
             locale: str | None) -> User:
    """Self-service registration as a buyer or a seller.

    Raises:
        AccountError, EmailTaken: as create_user; AccountError for any other role.
    """
    if role not in SELF_REGISTERING_ROLES:
        raise AccountError(_l("Choose whether you want to buy or to sell."))
    return create_user(email=email, password=password, full_name=full_name, role=role,
                       mobile=mobile, locale=locale, send_verification=True)


def send_verification(user: User) -> None:
    """Mail a new link to confirm this account's address (through the outbox). Commits."""
    outbox.notify("email_verification", user)
    db.session.commit()


def send_password_reset(user: User) -> None:
    """Mail a password-reset link. Commits. Only an outbox row is written here, so the request
    that asks takes about as long whether or not the account exists."""
    outbox.notify("password_reset", user)
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials; None when they are wrong. (Logging them in records the
    time: record_login.)"""
    try:
        email = normalise_email(email)
    except AccountError:
        check_password_hash(_DUMMY_HASH, password)
        return None
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password):
        return None
    return user


def record_login(user: User) -> None:
    """Note that the account has just logged in (by password, on registering, or with a "keep
    me logged in" cookie), for staff to see. Commits. A suspended account is never logged in,
    so never recorded."""
    if user.is_active:
        user.last_login_at = utcnow()
        db.session.commit()


def _serializer(use: TokenUse) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=use.salt)


def _password_fingerprint(user: User) -> str:
    # Part of the hash: a reset link stops working once the password has changed (single use).
    return user.password_hash[-16:]


def make_token(user: User, use: TokenUse) -> str:
    """A signed, expiring token for an email link."""
    payload = {"uid": user.id, "email": user.email}
    if use is PASSWORD_RESET:
        payload["pw"] = _password_fingerprint(user)
    return _serializer(use).dumps(payload)


def _user_for_token(token: str, use: TokenUse) -> User:
    try:
        payload = _serializer(use).loads(token, max_age=current_app.config[use.max_age_setting])
    except SignatureExpired as error:
        raise BadToken(_l("This link has expired. Ask for a new one.")) from error
    except BadSignature as error:
        raise BadToken(_l("This link is not valid. Check it was copied whole, or ask for a "
                          "new one.")) from error
    user = db.session.get(User, payload.get("uid")) if isinstance(payload, dict) else None
    if user is None or user.email != payload.get("email"):
        raise BadToken(_l("This link is not valid any more. Ask for a new one."))
    if use is PASSWORD_RESET and payload.get("pw") != _password_fingerprint(user):
        raise BadToken(_l("This link has already been used. Ask for a new one."))
    return user


def verify_email(token: str) -> User:
    """Mark the account's email as verified.

    Raises:
        BadToken: the link is expired, altered or for another address.
    """
    user = _user_for_token(token, EMAIL_VERIFICATION)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


def user_for_reset(token: str) -> User:
    """The account a reset link belongs to. Raises BadToken."""
    return _user_for_token(token, PASSWORD_RESET)


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; the link then stops working.

    Raises:
        BadToken: the link is expired, altered or already used.
        AccountError: the new password breaks the rules.
    """
    user = _user_for_token(token, PASSWORD_RESET)
    check_password_rules(new_password, user.email)
    user.set_password(new_password)
    # Following the link proves the address is theirs.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a signed-in user's password.

    Raises:
        AccountError: the current password is wrong or the new one breaks the rules.
    """
    if not user.check_password(current_password):
        raise WrongPassword(_l("Your current password is not right."))
    check_password_rules(new_password, user.email)
    user.set_password(new_password)
    db.session.commit()


def update_profile(user: User, *, full_name: str, mobile: str | None,
                   locale: str | None = None) -> None:
    """Change the name, mobile number and (when given) language on an account. Commits.

    Raises:
        AccountError: the language is not one the site speaks.
    """
    if locale is not None and locale not in current_app.config["LANGUAGES"]:
        raise AccountError(_l("That language is not available."))
    user.full_name = full_name.strip()
    user.mobile = mobile or None
    user.locale = locale or user.locale
    db.session.commit()
