"""Accounts: register, sign in and out, confirm an email, reset or change a password, the account page."""

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from odop_bazaar import i18n
from odop_bazaar.access import safe_next_url
from odop_bazaar.auth import bp
from odop_bazaar.auth.forms import (
    PASSWORD_HINT,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    ProfileForm,
    RegisterForm,
    ResendVerificationForm,
    ResetPasswordForm,
)
from odop_bazaar.extensions import limiter
from odop_bazaar.models.accounts import Role
from odop_bazaar.services.accounts import queries, users
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.web import INVALID, show_refusal

log = logging.getLogger(__name__)


def _failed_attempt(response) -> bool:
    # Only failed sign-ins count against the limits; a success redirects.
    return response.status_code != 302


def _login_account_key() -> str:
    raw = request.form.get("email", "")
    try:
        return "account:" + users.normalise_email(raw)
    except users.AccountError:
        return "account:" + raw.strip().lower()[:254]


def _home_for(user) -> str:
    """Where a person lands after logging in: their work, or their account."""
    if user.role == Role.SELLER:
        return url_for("onboarding.checklist")
    if user.is_staff:
        return url_for("staff.index")
    return url_for("auth.account")


def _in_their_language(target: str, user) -> str:
    """Where to go after logging in: an address without a language in the account's own."""
    if user.locale and i18n.in_language(target, i18n.DEFAULT) == target:
        return i18n.in_language(target, user.locale)
    return target


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT_PER_ADDRESS"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = RegisterForm()
    if request.method == "GET" and request.args.get("as") == Role.SELLER.value:
        form.account_type.data = Role.SELLER.value
    if form.validate_on_submit():
        try:
            user = users.register(
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data,
                role=Role(form.account_type.data),
                mobile=form.mobile.data or None,
                locale=str(get_locale()),
            )
        except users.AccountError as error:
            # Shown beside the address, the answer most refusals here are about.
            show_refusal(FieldErrors({"email": error}), form)
        else:
            login_user(user)
            flash(_("Welcome to ODOP Bazaar."), "success")
            flash(_("We have sent a link to %(email)s: open it to confirm your email "
                    "address.", email=user.email), "success")
            return redirect(_home_for(user))
    status = INVALID if form.errors else 200
    return render_template("auth/register.html", form=form, password_hint=PASSWORD_HINT), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_login_account_key,
               methods=["POST"], deduct_when=_failed_attempt, scope="login-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed_attempt, scope="login-address")
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next_url(form.next.data) or _home_for(current_user))
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is not None and not user.is_active:
            # Said only to someone who knows the password.
            form.form_errors.append(_("This account is suspended. Write to the grievance "
                                      "officer named at the foot of the page if you think "
                                      "this is a mistake."))
        elif user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            return redirect(_in_their_language(safe_next_url(form.next.data)
                                               or _home_for(user), user))
        else:
            form.form_errors.append(_("The email address or password is not right."))
    status = INVALID if (form.errors or form.form_errors) else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    form = LogoutForm()
    if not current_user.is_authenticated:
        return redirect(url_for("public.index"))
    if form.validate_on_submit():
        logout_user()
        flash(_("You are logged out."), "success")
        return redirect(url_for("public.index"))
    return render_template("auth/logout.html", form=form)


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    try:
        users.verify_email(token)
    except users.BadToken as error:
        return render_template("auth/link_problem.html", message=str(error)), 400
    flash(_("Thank you: your email address is confirmed."), "success")
    return redirect(url_for("auth.account") if current_user.is_authenticated
                    else url_for("auth.login"))


@bp.post("/verify-email/resend")
@login_required
@limiter.limit(lambda: current_app.config["EMAIL_LIMIT_PER_ADDRESS"])
def resend_verification():
    form = ResendVerificationForm()
    if form.validate_on_submit() and not current_user.email_verified:
        users.send_verification(current_user)
        flash(_("We have sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("auth.account"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["EMAIL_LIMIT_PER_ADDRESS"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = queries.find_by_email(form.email.data)
        if user is not None:
            users.send_password_reset(user)  # an outbox row: no mail server in the request
        # The same answer either way, so the page does not reveal who has an account.
        return render_template("auth/forgot_password_sent.html", email=form.email.data)
    status = INVALID if form.errors else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = users.user_for_reset(token)
    except users.BadToken as error:
        return render_template("auth/link_problem.html", message=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            users.reset_password(token, form.password.data)
        except users.AccountError as error:
            show_refusal(FieldErrors({"password": error}), form)
        else:
            flash(_("Your password has been changed. Log in with the new one."), "success")
            logout_user()
            return redirect(url_for("auth.login"))
    status = INVALID if form.errors else 200
    return render_template("auth/reset_password.html", form=form, email=user.email,
                           password_hint=PASSWORD_HINT), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    if not form.locale.data:  # an account from before languages were kept, or an old form
        form.locale.data = current_user.locale or i18n.page_language()
    if form.validate_on_submit():
        users.update_profile(current_user, full_name=form.full_name.data,
                             mobile=form.mobile.data or None, locale=form.locale.data)
        flash(_("Your details are saved."), "success")
        # The account page again, in the language just chosen.
        return redirect(i18n.in_language(url_for("auth.account"), form.locale.data))
    status = INVALID if form.errors else 200
    return render_template("auth/account.html", form=form,
                           resend_form=ResendVerificationForm()), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(current_user, form.current_password.data, form.password.data)
        except users.AccountError as error:
            wrong = isinstance(error, users.WrongPassword)
            show_refusal(FieldErrors({"current_password" if wrong else "password": error}), form)
        else:
            # The session carries the password's fingerprint: renew it, ending all others.
            remembered = bool(request.cookies.get(current_app.config.get(
                "REMEMBER_COOKIE_NAME", "remember_token")))
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("Your password has been changed. You are logged out everywhere else."),
                  "success")
            return redirect(url_for("auth.account"))
    status = INVALID if form.errors else 200
    return render_template("auth/change_password.html", form=form,
                           password_hint=PASSWORD_HINT), status
