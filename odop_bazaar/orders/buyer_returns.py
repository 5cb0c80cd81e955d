"""The buyer's returns: the return form from the order page, the return's own page with its
history, withdrawing it, and the photos sent with it (for its buyer, seller and staff)."""

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from odop_bazaar.access import buyer_required
from odop_bazaar.models.returns import ReturnStatus
from odop_bazaar.orders import bp
from odop_bazaar.orders.buyer_orders import own_checkout_or_404
from odop_bazaar.orders.forms import EmptyForm
from odop_bazaar.orders.return_forms import return_form_for
from odop_bazaar.services import sellers
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.orders import refund_queries
from odop_bazaar.services.returns import decisions, queries, requests
from odop_bazaar.web import INVALID, show_refusal


def _own_return_or_404(return_id: int):
    found = queries.buyer_return(current_user.id, return_id)
    if found is None:
        abort(404)
    return found


@bp.route("/orders/<reference>/<id:order_id>/return", methods=["GET", "POST"])
@buyer_required
def return_items(reference: str, order_id: int):
    order = next((o for o in own_checkout_or_404(reference).orders if o.id == order_id), None)
    if order is None or not requests.may_return(order):
        abort(404)
    form = return_form_for(order, requests.reasons_for(order))
    if form.validate_on_submit():
        try:
            made = requests.request_return(order, current_user, requests.ReturnAsk(
                form.quantities(), form.reason.data or "", form.resolution.data or "",
                form.details.data or "", form.photo_bytes(), form.payee_name.data or "",
                form.account_number.data or "", form.ifsc.data or "", form.upi_id.data or ""))
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Your return is sent to the seller."), "success")
            return redirect(url_for("orders.buyer_return", return_id=made.id), 303)
    return render_template("orders/return_form.html", form=form, order=order,
                           ends=requests.window_ends(order),
                           cod=order.checkout.payment_method == "cod"), \
        INVALID if form.is_submitted() else 200


@bp.get("/returns/<id:return_id>")
@buyer_required
def buyer_return(return_id: int):
    found = _own_return_or_404(return_id)
    return render_template("orders/return.html", request=found, history=queries.history(found),
                           labels={s.value: s.label for s in ReturnStatus},
                           refund=refund_queries.refund_of_return(found.id),
                           cancel_form=EmptyForm())


@bp.post("/returns/<id:return_id>/cancel")
@buyer_required
def cancel_return(return_id: int):
    found = _own_return_or_404(return_id)
    if not EmptyForm().validate():
        abort(400)
    try:
        decisions.cancel(found, current_user)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Your return is withdrawn."), "success")
    return redirect(url_for("orders.buyer_return", return_id=return_id), 303)


@bp.get("/returns/<id:return_id>/photos/<id:photo_id>")
@login_required
def return_photo(return_id: int, photo_id: int):
    """A photo of a return, for its buyer, its seller and staff in its seller's places."""
    found = queries.return_photo(return_id, photo_id)
    if found is None or not _may_see(found.request):
        abort(404)
    response = send_file(queries.photo_file(found), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _may_see(request) -> bool:
    if current_user.is_staff:
        return scope_of(current_user).covers_seller(request.seller)
    if current_user.is_seller:
        return request.seller_id == sellers.seller_for_user(current_user).id
    return request.buyer_id == current_user.id
