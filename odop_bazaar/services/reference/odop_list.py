"""Import the national ODOP list into the reference tables: from a file, from the copy shipped
with the application, or from a list a staff member uploaded.

One transaction; idempotent. The steps: read the file (odop_csv.py), match each row's state and
district (place_matching.py), write the products (apply_list.py), then refuse a list that would
retire most products, or commit it with its version row.

The staff console uploads a file, keeps its bytes in private storage under their SHA-256,
previews the import from them (a dry run) and applies it from them: the same bytes each time.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models.reference import OdopProduct, ReferenceListVersion
from odop_bazaar.services import workflow
from odop_bazaar.services.catalogue import search
from odop_bazaar.services.reference import hindi_names
from odop_bazaar.services.reference.apply_list import apply_rows, ensure_lgd_places
from odop_bazaar.services.reference.import_report import ImportReport
from odop_bazaar.services.reference.odop_csv import SHIPPED_PRODUCTS, BadReferenceFile, parse_list
from odop_bazaar.storage import storage

# The national list is about 200 KB; anything much larger is not it.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_AREA = "reference-lists"  # folder in private storage


class MassRetirement(BadReferenceFile):
    """The list would retire most live products (probably a partial list); nothing was changed."""


class UploadNotFound(LookupError):
    """No uploaded list is kept under that SHA-256."""


def import_odop_list(
    raw: bytes,
    source_name: str,
    *,
    imported_by: str | None = None,
    dry_run: bool = False,
    allow_mass_retire: bool = False,
    before_commit: Callable[[ImportReport, ReferenceListVersion], None] | None = None,
) -> ImportReport:
    """Bring the reference tables in line with an ODOP list; commit once (or not, in a dry run).

    before_commit, when given, is called with the report and the flushed version row just before
    the commit of a list that changes something, to add its own rows (an audit entry) to the
    same transaction.

    Raises:
        BadReferenceFile: the file is empty, not CSV text, or has neither known set of columns.
        MassRetirement: it would retire most live products (pass allow_mass_retire to accept that).
    """
    report = ImportReport(source_name=source_name, sha256=hashlib.sha256(raw).hexdigest())
    parsed = parse_list(raw)
    report.blank_rows = parsed.blank_rows
    version = ReferenceListVersion(
        source_name=source_name[:255], sha256=report.sha256, imported_by=imported_by
    )
    try:
        report.states_added, report.districts_added = ensure_lgd_places()
        apply_rows(parsed.rows, report, version)
        report.live_after = db.session.scalar(
            select(func.count()).select_from(OdopProduct).where(OdopProduct.retired_at.is_(None))
        )
        if report.retires_most and not allow_mass_retire:
            raise _mass_retirement(report)
        if dry_run or not report.changes_anything:
            db.session.rollback()
            return report
        _add_version(report, version)
        hindi_names.set_names()  # products new to this list get their Hindi names too
        if before_commit is not None:
            db.session.flush()
            before_commit(report, version)
        db.session.commit()
        report.applied = True
        return report
    except BaseException:
        db.session.rollback()
        raise


def import_shipped_list(*, imported_by: str | None = None) -> ImportReport:
    """Import the copy of the national list that ships with the application."""
    return import_odop_list(SHIPPED_PRODUCTS.read_bytes(), SHIPPED_PRODUCTS.name,
                            imported_by=imported_by)


def _mass_retirement(report: ImportReport) -> MassRetirement:
    return MassRetirement(_(
        "This list would retire %(n)d of the %(total)d products now listed. If it really "
        "is the whole national list, apply it again allowing mass retirement (--allow-mass-retire).",
        n=len(report.retired), total=report.live_before_retiring,
    ))


def _add_version(report: ImportReport, version: ReferenceListVersion) -> None:
    # The version row keeps the counts and the whole report of a list that changed something.
    version.added = len(report.added)
    version.changed = len(report.changed)
    version.unchanged = report.unchanged
    version.retired = len(report.retired)
    version.rejected = len(report.rejected)
    version.report = "\n".join(report.lines())
    db.session.add(version)
    # Listings of renamed products are found by their new names at once.
    search.reindex_products(report.changed_product_ids)


@dataclass
class UploadedList:
    sha256: str
    source_name: str
    raw: bytes


def upload_list(raw: bytes, filename: str | None) -> str:
    """Check an uploaded list with a dry run and keep its bytes for the preview and the apply.

    Returns its SHA-256, the key it is kept under. A list that would retire most products is
    kept (the preview says so); a file that is not an ODOP list is not.

    Raises:
        BadReferenceFile: the file is too large, empty, or not an ODOP list; nothing is kept.
    """
    if len(raw) > UPLOAD_MAX_BYTES:
        raise BadReferenceFile(_("The file is larger than %(mb)d MB, so it is not the ODOP list.",
                                 mb=UPLOAD_MAX_BYTES // (1024 * 1024)))
    name = _upload_name(filename)
    report = import_odop_list(raw, name, dry_run=True, allow_mass_retire=True)
    store = storage("private")
    store.save(f"{UPLOAD_AREA}/{report.sha256}.csv", raw)
    store.save(f"{UPLOAD_AREA}/{report.sha256}.name", name.encode("utf-8"))
    return report.sha256


def uploaded_list(sha256: str) -> UploadedList:
    """An uploaded list by its SHA-256.

    Raises:
        UploadNotFound: nothing (or nothing intact) is kept under that key.
    """
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise UploadNotFound(sha256)
    store = storage("private")
    key = f"{UPLOAD_AREA}/{sha256}"
    if not store.exists(f"{key}.csv"):
        raise UploadNotFound(sha256)
    raw = store.read(f"{key}.csv")
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise UploadNotFound(sha256)
    name = (store.read(f"{key}.name").decode("utf-8", "replace") if store.exists(f"{key}.name")
            else f"{sha256[:12]}.csv")
    return UploadedList(sha256=sha256, source_name=name, raw=raw)


def preview_upload(sha256: str) -> ImportReport:
    """What applying an uploaded list would do: a dry run that allows mass retirement, so the
    report is complete; report.retires_most says whether applying needs the admin's say-so.

    Raises:
        UploadNotFound: no list is kept under that SHA-256.
        BadReferenceFile: the list cannot be read (it could when it was uploaded).
    """
    upload = uploaded_list(sha256)
    return import_odop_list(upload.raw, upload.source_name, dry_run=True, allow_mass_retire=True)


def apply_upload(sha256: str, actor, *, allow_mass_retire: bool = False) -> ImportReport:
    """Apply an uploaded list for a staff member, with its audit entry in the same transaction.

    A list that changes nothing adds no version row and no audit entry (report.applied is False).

    Raises:
        UploadNotFound: no list is kept under that SHA-256.
        MassRetirement: it would retire most products and allow_mass_retire is not set.
        BadReferenceFile: the list cannot be read.
    """
    upload = uploaded_list(sha256)

    def audit(report: ImportReport, version: ReferenceListVersion) -> None:
        workflow.record(actor_id=actor.id, object_type="reference_list", object_id=version.id,
                        action="import", note=report.summary())

    return import_odop_list(upload.raw, upload.source_name, imported_by=actor.email,
                            allow_mass_retire=allow_mass_retire, before_commit=audit)


def _upload_name(filename: str | None) -> str:
    # Shown to staff and kept on the version row: the base name, without control characters.
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "odop-list.csv"
