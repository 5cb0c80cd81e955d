"""“Tell me when it is back”: the button on a sold-out product's page and the buyer's list of
their alerts (services/catalogue/stock_alerts.py sends the email)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import buyer_required
from odop_bazaar.orders.forms import EmptyForm
from odop_bazaar.same_origin import same_origin_required
from odop_bazaar.services.catalogue import stock_alerts
from odop_bazaar.services.errors import DomainError
from odop_bazaar.shop import bp
from odop_bazaar.web import show_refusal


@bp.post("/products/<id:listing_id>/tell-me-when-back")
@same_origin_required  # the button is on the product page that every visitor shares
def ask_when_back(listing_id: int):
    product_page = url_for("shop.product", listing_id=listing_id)
    if not current_user.is_authenticated:
        flash(_("Log in (or create a buyer account), then press the button again: we email "
                "you when it is back."), "info")
        return redirect(url_for("auth.login", next=product_page), 303)
    if not current_user.is_buyer:
        flash(_("Seller and staff accounts cannot buy. Log out, or use a buyer account."),
              "error")
        return redirect(product_page, 303)
    try:
        stock_alerts.ask(current_user.id, listing_id)
    except DomainError as error:
        show_refusal(error)
        return redirect(product_page, 303)
    flash(_("Done: we will email %(email)s once when it is back in stock.",
            email=current_user.email), "success")
    return redirect(url_for("shop.stock_alerts"), 303)


@bp.get("/stock-alerts", endpoint="stock_alerts")
@buyer_required
def stock_alerts_page():
    return render_template("shop/stock_alerts.html", form=EmptyForm(),
                           alerts=stock_alerts.alerts_of(current_user.id))


@bp.post("/stock-alerts/<id:alert_id>/stop")
@buyer_required
def stop_stock_alert(alert_id: int):
    if not EmptyForm().validate():
        abort(400)
    if stock_alerts.stop(current_user.id, alert_id):
        flash(_("Alert removed: we will not email you about it."), "success")
    return redirect(url_for("shop.stock_alerts"), 303)
