"""The account's personal access tokens for the JSON API: made, listed and revoked.

A new token's secret is shown once, in the answer to the POST that made it: never in a URL, a
log line or a flash (the session cookie is signed, not encrypted, so anything in it can be read
by whoever sees the cookie). Only its digest is stored, so it cannot be shown again.
"""

from flask import abort, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from odop_bazaar.auth import bp
from odop_bazaar.auth.forms import ApiTokenForm, RevokeApiTokenForm
from odop_bazaar.db_types import utcnow
from odop_bazaar.models.api_access import ApiScope
from odop_bazaar.services.accounts import api_tokens as token_service
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.web import INVALID, show_refusal

# The forms that made a token in this session (their keys only: never a secret).
USED_FORMS = "api_token_forms"
ALREADY_MADE = _l("This token was made already, and its secret was shown once. If you did not "
                  "copy it, revoke it below and make another.")


def _made_already(form_key: str) -> bool:
    return bool(form_key) and form_key in session.get(USED_FORMS, [])


def _remember(form_key: str) -> None:
    session[USED_FORMS] = [*session.get(USED_FORMS, []), form_key][-10:]


def _page(form: ApiTokenForm, status: int, created: token_service.NewToken | None = None):
    response = make_response(render_template(
        "auth/api_tokens.html", form=form, created=created, now=utcnow(),
        tokens=token_service.live_tokens(current_user), revoke_form=RevokeApiTokenForm(),
        scope_labels={scope.value: scope.label for scope in ApiScope}), status)
    # The page may hold a secret; no cache, shared or the browser's own, keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    form = ApiTokenForm(token_service.scopes_for(current_user))
    if form.validate_on_submit():
        if _made_already(form.form_key.data):  # the answer with the secret, reloaded
            flash(ALREADY_MADE, "info")
            return redirect(url_for("auth.api_tokens"))
        try:
            created = token_service.create_token(
                current_user, name=form.name.data, scopes=form.scopes.data,
                expires_in_days=form.expires_in_days.data)
        except FieldErrors as error:
            show_refusal(error, form)
        else:
            _remember(form.form_key.data)
            # Answered here rather than redirected: the secret exists only in this answer.
            fresh = ApiTokenForm(token_service.scopes_for(current_user), formdata=None)
            return _page(fresh, 200, created)
    return _page(form, INVALID if form.errors or form.form_errors else 200)


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int):
    if not RevokeApiTokenForm().validate_on_submit():
        abort(400)
    # Another person's token, or one already revoked, is not among this person's live tokens.
    if not token_service.revoke_token(current_user, token_id):
        abort(404)
    flash(_("The token is revoked: apps using it can no longer reach your account."), "success")
    return redirect(url_for("auth.api_tokens"))
