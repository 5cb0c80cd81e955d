"""The ODOP reference list (admins): upload a newer official list, check what it would change,
then apply it. The rules are the importer's (services/reference/odop_list.py), as for
`flask import-odop`."""

from dataclasses import dataclass
from math import ceil

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import admin_required
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.reference import odop_list
from odop_bazaar.services.reference.odop_list import MassRetirement, UploadNotFound
from odop_bazaar.services.reference.queries import reference_state
from odop_bazaar.staff import bp
from odop_bazaar.staff.forms import ReferenceApplyForm, ReferenceUploadForm
from odop_bazaar.web import INVALID, show_refusal

# The lists of a preview, each paged on its own (?added=2): a new national list adds 1,241.
PREVIEW_LISTS = ("added", "changed", "retired", "corrected", "rejected")
PAGE_SIZE = 100


@dataclass
class ListPage:
    items: list
    number: int
    pages: int
    total: int
    first: int  # the position of items[0] in the whole list, from 1


def _page(items: list, number: int | None) -> ListPage:
    pages = max(1, ceil(len(items) / PAGE_SIZE))
    number = min(max(number or 1, 1), pages)
    start = (number - 1) * PAGE_SIZE
    return ListPage(items[start:start + PAGE_SIZE], number, pages, len(items), start + 1)


def _reference_page(form: ReferenceUploadForm, status: int = 200, *, missing: bool = False):
    return render_template(
        "staff/reference.html", form=form, state=reference_state(),
        max_mb=odop_list.UPLOAD_MAX_BYTES // (1024 * 1024), missing=missing), status


@bp.route("/reference", methods=["GET", "POST"])
@admin_required
def reference():
    """What is loaded, and the form to upload a newer list (checked, never applied, here)."""
    form = ReferenceUploadForm()
    if request.method == "GET":
        return _reference_page(form)
    if form.validate_on_submit():
        upload = form.list_file.data
        try:
            # One byte over the cap is enough to know the file is too large.
            sha256 = odop_list.upload_list(
                upload.read(odop_list.UPLOAD_MAX_BYTES + 1), upload.filename)
        except DomainError as error:
            # Every refusal here is about the file, so it is shown beside the file's field.
            show_refusal(FieldErrors({"list_file": error}), form)
        else:
            return redirect(url_for("staff.reference_preview", sha256=sha256), 303)
    return _reference_page(form, INVALID)


@bp.get("/reference/preview/<sha256>")
@admin_required
def reference_preview(sha256: str):
    """What applying an uploaded list would add, change and retire, with the Apply button."""
    try:
        report = odop_list.preview_upload(sha256)
    except UploadNotFound:
        return _reference_page(ReferenceUploadForm(), 404, missing=True)
    except DomainError as error:
        show_refusal(error)
        return redirect(url_for("staff.reference"), 303)
    lists = {name: _page(getattr(report, name), request.args.get(name, type=int))
             for name in PREVIEW_LISTS}
    return render_template("staff/reference_preview.html", report=report, lists=lists,
                           form=ReferenceApplyForm(sha256=report.sha256))


@bp.post("/reference/apply")
@admin_required
def apply_reference():
    """Apply an uploaded list (the box must be ticked if it retires most products)."""
    form = ReferenceApplyForm()
    if not form.validate_on_submit():
        abort(400)
    sha256 = form.sha256.data or ""
    try:
        report = odop_list.apply_upload(sha256, current_user,
                                        allow_mass_retire=bool(form.allow_mass_retire.data))
    except UploadNotFound:
        return _reference_page(ReferenceUploadForm(), 404, missing=True)
    except MassRetirement:
        # The importer's message names the command-line flag; here the box is what to use.
        flash(_("Nothing was changed: this list would retire most products. Tick the box to "
                "apply it anyway, or upload the whole list."), "error")
        return redirect(url_for("staff.reference_preview", sha256=sha256), 303)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_applied_message(report), "success")
    return redirect(url_for("staff.reference"), 303)


def _applied_message(report) -> str:
    if report.applied:
        return _("The ODOP list “%(name)s” is applied. Products added: %(added)s, changed: "
                 "%(changed)s, retired: %(retired)s.", name=report.source_name,
                 added=format_number(len(report.added)), changed=format_number(len(report.changed)),
                 retired=format_number(len(report.retired)))
    return _("The reference data already matches “%(name)s”; nothing was changed.",
             name=report.source_name)
