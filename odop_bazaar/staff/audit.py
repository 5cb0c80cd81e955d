"""The audit log page: who changed what and when, for administrators."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import admin_required
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.reporting import audit_log
from odop_bazaar.staff import bp
from odop_bazaar.staff.filters import id_or_none
from odop_bazaar.staff.forms import AuditFilterForm
from odop_bazaar.web import INVALID, show_refusal

# The page each kind of object has (see audit_log.AuditRow.target).
_PAGES = {"seller": "staff.seller", "listing": "staff.listing", "order": "orders.invoice",
          "user": "staff.user"}
_FILTERS = ("actor", "object_type", "object_id", "action", "date_from", "date_to")


@bp.get("/audit")
@admin_required
def audit():
    form = AuditFilterForm(request.args)
    form.object_type.choices = [SelectChoice("", _("Any kind"))] + [
        SelectChoice(value, label) for value, label in audit_log.OBJECT_TYPES.items()]
    form.validate()  # nothing to check here (the service does), but it readies the errors
    typed = {name: (form[name].data or "") for name in _FILTERS}
    try:
        filters = audit_log.make_filters(**typed)
    except DomainError as error:
        show_refusal(error, form)
    else:
        return _audit_page(form, filters, typed)
    return render_template("staff/audit.html", form=form, page=None), INVALID


def _audit_page(form: AuditFilterForm, filters: audit_log.AuditFilters, typed: dict):
    # One page of entries, newest first, with links that keep the filters as typed.
    page = audit_log.audit_page(filters, scope_of(current_user),
                                before=id_or_none(request.args.get("before")),
                                after=id_or_none(request.args.get("after")))
    kept = {name: value for name, value in typed.items() if value}
    rows = [(row, url_for(_PAGES[row.target[0]], **row.target[1]) if row.target else None)
            for row in page.rows]
    return render_template(
        "staff/audit.html", form=form, page=page, rows=rows,
        first_url=url_for("staff.audit", **kept),
        newer_url=url_for("staff.audit", after=page.newer, **kept) if page.newer else None,
        older_url=url_for("staff.audit", before=page.older, **kept) if page.older else None,
        paged=request.args.get("before") or request.args.get("after"))
