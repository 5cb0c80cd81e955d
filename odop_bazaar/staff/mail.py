"""Mail not sent yet (admins): the outbox's failed and waiting messages, and putting a failed
one back in line once its cause (a wrong address, the mail server) is put right."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from odop_bazaar.access import admin_required
from odop_bazaar.services import outbox
from odop_bazaar.staff import bp
from odop_bazaar.staff.forms import RetryMailForm


@bp.get("/mail")
@admin_required
def mail_outbox():
    return render_template("staff/mail.html", messages=outbox.waiting(),
                           backlog=outbox.backlog(), form=RetryMailForm())


@bp.post("/mail/<id:message_id>/retry")
@admin_required
def retry_mail(message_id: int):
    if not RetryMailForm().validate():
        abort(400)
    if outbox.retry(message_id):
        flash(_("The email is back in line and will be sent again now."), "success")
    else:
        flash(_("That email is not waiting for a retry (it may be sent already)."), "error")
    return redirect(url_for("staff.mail_outbox"), 303)
