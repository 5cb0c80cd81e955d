"""Accounts, for administrators: find people, add staff, suspend and reinstate, and the places
each staff reviewer works on."""


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import admin_required
from odop_bazaar.extensions import db
from odop_bazaar.localized import with_official
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.services.accounts import queries, user_admin
from odop_bazaar.services.accounts.staff_scope import describe
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.reference import places
from odop_bazaar.staff import bp
from odop_bazaar.staff.filters import id_or_none
from odop_bazaar.staff.forms import (
    AccountStatusForm,
    AddPlaceForm,
    AllIndiaForm,
    NewStaffForm,
    RemovePlaceForm,
    RoleForm,
    UserFilterForm,
)
from odop_bazaar.web import INVALID, show_refusal


@bp.get("/users")
@admin_required
def users():
    form = UserFilterForm(request.args)
    filters = queries.UserFilters(role=form.role.data or None, text=form.q.data or None,
                                     suspended=bool(form.suspended.data),
                                     page=max(1, id_or_none(request.args.get("page")) or 1))
    found, total = queries.find_users(filters)
    return render_template("staff/users.html", form=form, users=found, total=total,
                           page=filters.page, page_size=queries.USERS_PAGE, describe=describe)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_staff():
    form = NewStaffForm()
    if form.validate_on_submit():
        try:
            user = user_admin.create_staff(
                email=form.email.data, full_name=form.full_name.data,
                role=Role(form.role.data) if form.role.data in (Role.STAFF, Role.ADMIN)
                else Role.BUYER, all_india=bool(form.all_india.data), actor=current_user,
                # The invitation goes out before they can choose: the admin's page language is
                # the best guess (as a visitor's is on registration); they change it later.
                locale=str(get_locale()))
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Account created. We have sent %(email)s a link to set their password.",
                    email=user.email), "success")
            return redirect(url_for("staff.user", user_id=user.id), 303)
    return render_template("staff/user_new.html", form=form), (INVALID if form.errors else 200)


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _place_form() -> AddPlaceForm:
    form = AddPlaceForm()
    grouped = places.states_with_districts()
    form.state.choices = [SelectChoice("", _("Choose a state"))] + [
        SelectChoice(str(state.lgd_code), with_official(state)) for state, _districts in grouped]
    # Every district, grouped by state, so the form works without JavaScript.
    form.district.choices = {"": [SelectChoice("", _("The whole state"))]} | {
        with_official(state): [SelectChoice(str(d.lgd_code), with_official(d)) for d in districts]
        for state, districts in grouped}
    return form


@bp.get("/users/<id:user_id>")
@admin_required
def user(user_id: int):
    person = _user_or_404(user_id)
    return _user_page(person)


def _user_page(person: User, status_form=None, place_form=None, status=200):
    return render_template(
        "staff/user.html", person=person, places=describe(person) if person.is_staff else [],
        status_form=status_form or AccountStatusForm(), place_form=place_form or _place_form(),
        role_form=RoleForm(), all_india_form=AllIndiaForm(all_india=person.all_india),
        remove_form=RemovePlaceForm(), status_note=queries.last_status_note(person),
        seller=person.seller if person.is_seller else None), status


@bp.post("/users/<id:user_id>/status")
@admin_required
def user_status(user_id: int):
    person = _user_or_404(user_id)
    form = AccountStatusForm()
    if not form.validate_on_submit():
        return _user_page(person, status_form=form, status=INVALID)
    if bool(form.suspend.data) == bool(form.reinstate.data):
        abort(400)
    change = user_admin.suspend if form.suspend.data else user_admin.reinstate
    try:
        change(person, current_user, form.reason.data or "")
    except FieldErrors as error:
        show_refusal(error, form)
        return _user_page(person, status_form=form, status=INVALID)
    except DomainError as error:
        # Not a matter of the reason typed (their own account, a seller): said at the top.
        show_refusal(error)
        return _user_page(person, status_form=form, status=409)
    flash(_("The account is suspended.") if form.suspend.data
          else _("The account is reinstated."), "success")
    return redirect(url_for("staff.user", user_id=person.id), 303)


@bp.post("/users/<id:user_id>/role")
@admin_required
def user_role(user_id: int):
    person = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit() or form.role.data not in (Role.STAFF, Role.ADMIN):
        abort(400)
    try:
        user_admin.change_role(person, Role(form.role.data), current_user)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Role changed to %(role)s.", role=Role(form.role.data).label), "success")
    return redirect(url_for("staff.user", user_id=person.id), 303)


@bp.post("/users/<id:user_id>/all-india")
@admin_required
def user_all_india(user_id: int):
    person = _user_or_404(user_id)
    form = AllIndiaForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        user_admin.set_all_india(person, bool(form.all_india.data), current_user)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Places saved."), "success")
    return redirect(url_for("staff.user", user_id=person.id, _anchor="places"), 303)


@bp.post("/users/<id:user_id>/places")
@admin_required
def add_place(user_id: int):
    person = _user_or_404(user_id)
    form = _place_form()
    if not form.validate_on_submit():
        abort(400)
    try:
        user_admin.add_place(person, state_code=id_or_none(form.state.data),
                             district_code=id_or_none(form.district.data), actor=current_user)
    except FieldErrors as error:
        show_refusal(error, form)
        return _user_page(person, place_form=form, status=INVALID)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Place added."), "success")
    return redirect(url_for("staff.user", user_id=person.id, _anchor="places"), 303)


@bp.post("/users/<id:user_id>/places/<id:scope_id>/remove")
@admin_required
def remove_place(user_id: int, scope_id: int):
    person = _user_or_404(user_id)
    if not RemovePlaceForm().validate_on_submit():
        abort(400)
    try:
        removed = user_admin.remove_place(person, scope_id, current_user)
    except DomainError as error:
        show_refusal(error)
    else:
        if removed:
            flash(_("Place removed."), "success")
    return redirect(url_for("staff.user", user_id=person.id, _anchor="places"), 303)
