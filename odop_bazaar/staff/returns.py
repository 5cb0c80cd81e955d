"""The staff's returns queue (/staff/returns): returns waiting on someone, oldest first, of
sellers in the staff member's places, and the decision on a refusal the seller may not make
alone (a protected reason)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import staff_required
from odop_bazaar.orders.return_forms import StaffReturnDecisionForm
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.returns import decisions, queries
from odop_bazaar.staff import bp
from odop_bazaar.web import show_refusal


@bp.get("/returns")
@staff_required
def returns():
    return render_template("staff/returns.html", returns=queries.staff_returns(
        scope_of(current_user)), form=StaffReturnDecisionForm())


@bp.post("/returns/<id:return_id>/decide")
@staff_required
def decide_return(return_id: int):
    found = queries.staff_return(scope_of(current_user), return_id)
    form = StaffReturnDecisionForm()
    if found is None:
        abort(404)
    if not form.validate():
        abort(400)
    try:
        decisions.staff_decide(found, current_user, uphold_return=form.decision.data == "uphold",
                               note=form.note.data or "")
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Return R%(number)d: %(status)s.", number=found.id,
                status=found.status_enum.label), "success")
    return redirect(url_for("staff.returns"), 303)
