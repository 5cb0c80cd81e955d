"""Forms for registering, signing in, passwords, the account page and API tokens."""

import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from odop_bazaar.forms import Form, MultiCheckboxField
from odop_bazaar.identifiers import InvalidIdentifier, normalise_mobile
from odop_bazaar.models.accounts import Role
from odop_bazaar.services.accounts.api_tokens import EXPIRY_CHOICES_DAYS
from odop_bazaar.services.accounts.users import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    AccountError,
    check_password_rules,
    normalise_email,
)


def _check_email(form, field):
    try:
        normalise_email(field.data)
    except AccountError as error:
        raise ValidationError(str(error)) from error


def _check_mobile(form, field):
    """Accept +91, spaces and Devanagari digits; hand the view ten ASCII digits."""
    if field.data:
        try:
            field.data = normalise_mobile(field.data)
        except InvalidIdentifier as error:
            raise ValidationError(str(error)) from error


def _check_new_password(form, field):
    email = getattr(form, "email", None)
    try:
        check_password_rules(field.data or "", email.data if email else "")
    except AccountError as error:
        raise ValidationError(str(error)) from error


_email = [DataRequired(_l("Enter your email address.")), Length(max=254), _check_email]
_new_password = [
    DataRequired(_l("Choose a password.")),
    _check_new_password,
]
_confirm = [DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords are not the same."))]


class RegisterForm(Form):
    account_type = RadioField(
        _l("I want to"),
        choices=[SelectChoice(Role.BUYER.value, _l("Buy products")),
                 SelectChoice(Role.SELLER.value, _l("Sell my district's products"))],
        default=Role.BUYER.value,
        validators=[InputRequired(_l("Choose whether you want to buy or to sell."))],
    )
    full_name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter your name.")), Length(max=120, message=_l("Use at most 120 characters."))])
    email = EmailField(_l("Email address"), validators=_email)
    mobile = TelField(_l("Mobile number (optional)"), validators=[Optional(), _check_mobile])
    password = PasswordField(_l("Password"), validators=_new_password)
    confirm = PasswordField(_l("Password again"), validators=_confirm)


class LoginForm(Form):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address.")),
                                                       Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                        Length(max=PASSWORD_MAX_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class LogoutForm(Form):
    pass


class ResendVerificationForm(Form):
    pass


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email address"), validators=_email)


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=_new_password)
    confirm = PasswordField(_l("New password again"), validators=_confirm)


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password."))])
    password = PasswordField(_l("New password"), validators=_new_password)
    confirm = PasswordField(_l("New password again"), validators=_confirm)


class ProfileForm(Form):
    full_name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter your name.")), Length(max=120, message=_l("Use at most 120 characters."))])
    mobile = TelField(_l("Mobile number (optional)"), validators=[Optional(), _check_mobile])
    # Pages are in the language of their address; this is the account's own.
    locale = RadioField(_l("Your language, for our emails to you"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [SelectChoice(code, name)
                               for code, name in current_app.config["LANGUAGES"].items()]


PASSWORD_HINT = _l("At least %(n)d characters.", n=PASSWORD_MIN_LENGTH)


def _whole_number(value):
    """A number of days, or None for anything else (the service then asks for a choice)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _expiry_label(days: int):
    return ngettext("%(num)d day", "%(num)d days", days)


class ApiTokenForm(Form):
    """A new personal access token. Only shape here: create_token decides what is allowed."""

    name = StringField(_l("Name"))
    # Any value is passed on, so the service's own message answers a scope the role cannot give.
    scopes = MultiCheckboxField(_l("What the token may do"), validate_choice=False)
    expires_in_days = SelectField(_l("Expires after"), coerce=_whole_number,
                                  validate_choice=False, default=30)
    # New for each form shown: the same form sent again (a reload of the answer that showed
    # the secret) is known by it, and makes no second token.
    form_key = HiddenField()

    def __init__(self, scopes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.form_key.data:
            self.form_key.data = secrets.token_urlsafe(16)
        self.scopes.choices = [SelectChoice(scope.value, scope.label) for scope in scopes]
        self.expires_in_days.choices = [SelectChoice(days, _expiry_label(days))
                                        for days in EXPIRY_CHOICES_DAYS]


class RevokeApiTokenForm(Form):
    pass
