"""The grievance officer's queue of complaint tickets (overdue first, then by the time the next
answer is due) and a ticket's page: acknowledge, reply, resolve. Scoped like the other queues:
a ticket about a seller outside the staff member's places is not found."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import staff_required
from odop_bazaar.complaints.forms import AcknowledgeForm, ReplyForm, ResolveForm
from odop_bazaar.db_types import utcnow
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.complaints import queries, tickets
from odop_bazaar.services.errors import DomainError
from odop_bazaar.staff import bp
from odop_bazaar.web import INVALID, show_refusal


@bp.get("/complaints")
@staff_required
def complaints():
    show_all = request.args.get("show") == "all"
    return render_template("staff/complaints.html", show_all=show_all, now=utcnow(),
                           complaints=queries.staff_queue(scope_of(current_user),
                                                          show_all=show_all))


def _ticket_or_404(reference: str):
    complaint = queries.staff_ticket(scope_of(current_user), reference)
    if complaint is None:
        abort(404)
    return complaint


def _page(complaint, status=200, **forms):
    return render_template(
        "staff/complaint.html", complaint=complaint, subject=queries.subject_of(complaint),
        now=utcnow(), acknowledge_form=forms.get("acknowledge") or AcknowledgeForm(),
        reply_form=forms.get("reply") or ReplyForm(),
        resolve_form=forms.get("resolve") or ResolveForm(),
        reopen_days=current_app.config["RESOLVED_REOPEN_DAYS"]), status


@bp.get("/complaints/<reference>")
@staff_required
def complaint(reference: str):
    return _page(_ticket_or_404(reference))


@bp.post("/complaints/<reference>/acknowledge")
@staff_required
def acknowledge_complaint(reference: str):
    ticket = _ticket_or_404(reference)
    form = AcknowledgeForm()
    if not form.validate():
        abort(400)
    try:
        tickets.acknowledge(ticket, current_user, form.note.data or "")
    except DomainError as error:
        show_refusal(error)  # a button pressed twice: said on the ticket's page
    else:
        flash(_("%(reference)s is acknowledged.", reference=reference), "success")
    return redirect(url_for("staff.complaint", reference=reference), 303)


@bp.post("/complaints/<reference>/reply")
@staff_required
def reply_to_complaint(reference: str):
    ticket = _ticket_or_404(reference)
    form = ReplyForm()
    if not form.validate():
        abort(400)
    try:
        tickets.reply(ticket, current_user, form.body.data or "", as_staff=True)
    except DomainError as error:
        show_refusal(error, form)
        return _page(ticket, INVALID, reply=form)
    flash(_("Your reply is added to %(reference)s.", reference=reference), "success")
    return redirect(url_for("staff.complaint", reference=reference), 303)


@bp.post("/complaints/<reference>/resolve")
@staff_required
def resolve_complaint(reference: str):
    ticket = _ticket_or_404(reference)
    form = ResolveForm()
    if not form.validate():
        abort(400)
    try:
        tickets.resolve(ticket, current_user, form.resolution.data or "")
    except DomainError as error:
        show_refusal(error, form)
        return _page(ticket, INVALID, resolve=form)
    flash(_("%(reference)s is resolved.", reference=reference), "success")
    return redirect(url_for("staff.complaint", reference=reference), 303)
