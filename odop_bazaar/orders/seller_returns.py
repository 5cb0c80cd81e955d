"""The seller's returns (/seller/returns): those waiting on them, oldest first, with the forms to
accept (pickup, or the buyer sends it), refuse, mark received, refund at once for goods not worth
sending back, and send an exchange."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import seller_required
from odop_bazaar.orders import bp
from odop_bazaar.orders.forms import EmptyForm
from odop_bazaar.orders.return_forms import (
    AcceptReturnForm,
    ExchangeShipForm,
    ReceivedForm,
    RefuseReturnForm,
    ReturnPolicyForm,
)
from odop_bazaar.services import sellers
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.returns import decisions, policy, queries
from odop_bazaar.web import show_refusal


@bp.get("/seller/returns")
@seller_required
def seller_returns():
    seller = sellers.seller_for_user(current_user)
    return render_template("orders/seller_returns.html",
                           returns=queries.seller_returns(seller.id),
                           accept_form=AcceptReturnForm(), refuse_form=RefuseReturnForm(),
                           received_form=ReceivedForm(), keep_form=EmptyForm(),
                           exchange_form=ExchangeShipForm(),
                           policy_form=ReturnPolicyForm(
                               accepts_change_of_mind=seller.accepts_change_of_mind))


@bp.post("/seller/returns/policy")
@seller_required
def seller_return_policy():
    form = ReturnPolicyForm()
    if not form.validate():
        abort(400)
    seller = sellers.seller_for_user(current_user)
    if policy.set_change_of_mind(seller.id, bool(form.accepts_change_of_mind.data),
                                 actor_id=current_user.id):
        flash(_("Your return policy is saved."), "success")
    return redirect(url_for("orders.seller_returns"), 303)


def _answer(return_id: int, form, act) -> object:
    """Check the form, apply the seller's answer, tell the buyer; back to the list."""
    seller = sellers.seller_for_user(current_user)
    found = queries.seller_return(seller.id, return_id)
    if found is None:
        abort(404)
    if not form.validate():
        abort(400)
    try:
        act(found)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Return R%(number)d: %(status)s.", number=found.id,
                status=found.status_enum.label), "success")
    return redirect(url_for("orders.seller_returns"), 303)


@bp.post("/seller/returns/<id:return_id>/accept")
@seller_required
def seller_accept_return(return_id: int):
    form = AcceptReturnForm()
    return _answer(return_id, form, lambda found: decisions.accept(
        found, current_user, buyer_sends=form.buyer_sends.data,
        carrier=form.carrier.data or "", tracking=form.tracking.data or ""))


@bp.post("/seller/returns/<id:return_id>/refuse")
@seller_required
def seller_refuse_return(return_id: int):
    form = RefuseReturnForm()
    return _answer(return_id, form, lambda found: decisions.refuse(
        found, current_user, form.reason.data or ""))


@bp.post("/seller/returns/<id:return_id>/received")
@seller_required
def seller_return_received(return_id: int):
    form = ReceivedForm()
    return _answer(return_id, form, lambda found: decisions.mark_received(
        found, current_user, restock=form.restock.data))


@bp.post("/seller/returns/<id:return_id>/keep")
@seller_required
def seller_return_not_worth_it(return_id: int):
    return _answer(return_id, EmptyForm(), lambda found: decisions.not_worth_returning(
        found, current_user))


@bp.post("/seller/returns/<id:return_id>/exchange")
@seller_required
def seller_send_exchange(return_id: int):
    form = ExchangeShipForm()
    return _answer(return_id, form, lambda found: decisions.send_exchange(
        found, current_user, carrier=form.carrier.data or "", tracking=form.tracking.data or ""))
