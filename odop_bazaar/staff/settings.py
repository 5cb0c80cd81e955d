"""Marketplace settings: delivery charges and commission (admins change them; other staff see them)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import staff_required
from odop_bazaar.money import rupees_input
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.orders import marketplace_settings
from odop_bazaar.staff import bp
from odop_bazaar.staff.forms import DeliverySettingsForm
from odop_bazaar.web import INVALID, show_refusal


def _settings_form() -> DeliverySettingsForm:
    """The form, filled with the settings as they stand (a POST's answers replace them)."""
    current = marketplace_settings.current()
    bps = current["commission_bps"]
    return DeliverySettingsForm(
        charge=rupees_input(current["delivery_charge_paise"]),
        free_from=rupees_input(current["free_delivery_from_paise"]),
        commission=f"{bps // 100}.{bps % 100:02d}".removesuffix(".00"))


@bp.route("/settings", methods=["GET", "POST"])
@staff_required
def settings():
    form = _settings_form()
    if request.method == "GET":
        return render_template("staff/settings.html", form=form)
    if not current_user.is_admin:
        abort(403)
    if form.validate():
        try:
            marketplace_settings.save(marketplace_settings.read_typed(
                charge=form.charge.data, free_from=form.free_from.data,
                commission=form.commission.data), current_user)
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("staff.settings"), 303)
    return render_template("staff/settings.html", form=form), INVALID
