"""Import the national ODOP list into the reference tables.

Takes the copy shipped in odop_bazaar/data/odop/ or a newer official file as DPIIT publishes it
(Windows-1252, its own columns, inconsistent spelling). One transaction; idempotent; a product
that is no longer listed is retired, never deleted, because listings may refer to it.

The staff console uploads a file, keeps its bytes in private storage under their SHA-256,
previews the import from them (a dry run) and applies it from them: the same bytes each time.
"""

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.reference import (
    RANKS,
    SECTORS,
    District,
    OdopProduct,
    ReferenceListVersion,
    State,
)
from odop_bazaar.services import workflow
from odop_bazaar.services.catalogue import search
from odop_bazaar.services.errors import DomainError
from odop_bazaar.storage import storage
from odop_bazaar.text import clean_cell, fold, fold_place, place_name_candidates, smart_title

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "data" / "odop"
SHIPPED_PRODUCTS = SHIPPED_DIR / "odop_products.csv"
SHIPPED_STATES = SHIPPED_DIR / "lgd_states.csv"
SHIPPED_DISTRICTS = SHIPPED_DIR / "lgd_districts.csv"

# The two layouts we read, by folded header name.
SHIPPED_LAYOUT = {
    "state": "state",
    "lgd state code": "state_code",
    "district": "district",
    "lgd district code": "district_code",
    "product": "product",
    "odop rank": "rank",
    "sector": "sector",
    "gi status": "gi",
}
OFFICIAL_LAYOUT = {
    "state": "state",
    "product": "product",
    "district": "district",
    "lgd code": "district_code",
    "category": "rank",
    "sector": "sector",
    "gi status": "gi",
}

# Older or informal names of states that a published list may use.
STATE_ALIASES = {
    "orissa": "odisha",
    "pondicherry": "puducherry",
    "uttaranchal": "uttarakhand",
    "nctofdelhi": "delhi",
    "newdelhi": "delhi",
    "andamanandnicobar": "andamanandnicobarislands",
    "jandk": "jammuandkashmir",
    "dnhanddd": "dadraandnagarhavelianddamananddiu",
}

_RANK_WORDS = {fold(term.value): term.value for term in RANKS} | {"other": "Others", "": "Others"}
_SECTOR_WORDS = {fold(term.value): term.value for term in SECTORS} | {
    "agri": "Agriculture",
    "agricultural": "Agriculture",
    "handicrafts": "Handicraft",
    "handlooms": "Handloom",
    "textiles": "Textile",
    "food processing industries": "Food Processing",
    "foodprocessing": "Food Processing",
    "fisheries": "Marine",
    "other": "Others",
}
_GI_WORDS = {"yes": True, "y": True, "gi tagged": True, "true": True, "1": True,
             "no": False, "n": False, "false": False, "0": False, "": False, "na": False}

# A list that would retire more than this share of the live products is probably partial.
MASS_RETIRE_SHARE = 0.5

# The national list is about 200 KB; anything much larger is not it.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_AREA = "reference-lists"  # folder in private storage


class BadReferenceFile(DomainError):
    """The file cannot be read as an ODOP list at all; nothing was changed."""


class MassRetirement(BadReferenceFile):
    """The list would retire most live products (probably a partial list); nothing was changed."""


class UploadNotFound(LookupError):
    """No uploaded list is kept under that SHA-256."""


@dataclass
class RowNote:
    line: int
    text: str


@dataclass
class ImportReport:
    source_name: str
    sha256: str
    states_added: int = 0
    districts_added: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    rejected: list[RowNote] = field(default_factory=list)
    corrected: list[RowNote] = field(default_factory=list)
    blank_rows: int = 0
    applied: bool = False
    changed_product_ids: set[int] = field(default_factory=set)  # their listings are reindexed
    live_after: int = 0  # products not retired once the list is applied

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.retired or self.states_added
                    or self.districts_added)

    @property
    def live_before_retiring(self) -> int:
        return self.live_after + len(self.retired)

    @property
    def retires_most(self) -> bool:
        """Whether the list would retire more than MASS_RETIRE_SHARE of the products."""
        return bool(self.retired) and len(self.retired) > MASS_RETIRE_SHARE * self.live_before_retiring

    def summary(self) -> str:
        """The file and its counts in two lines, for the audit log and messages."""
        lines = self.lines()
        return "\n".join((lines[0], lines[2]))

    def lines(self) -> list[str]:
        """The report as text lines, for the command line and the staff console."""
        out = [
            _("ODOP list: %(name)s", name=self.source_name),
            _("States/UTs added: %(n)d, districts added: %(m)d",
              n=self.states_added, m=self.districts_added),
            _("Products added: %(added)d, changed: %(changed)d, left as they were: %(same)d, "
              "retired: %(retired)d, rejected rows: %(rejected)d, blank rows skipped: %(blank)d",
              added=len(self.added), changed=len(self.changed), same=self.unchanged,
              retired=len(self.retired), rejected=len(self.rejected), blank=self.blank_rows),
        ]
        out += ["  " + _("changed: %(what)s", what=text) for text in self.changed]
        out += ["  " + _("retired: %(what)s", what=text) for text in self.retired]
        out += ["  " + _("row %(line)d corrected: %(text)s", line=n.line, text=n.text)
                for n in self.corrected]
        out += ["  " + _("row %(line)d rejected: %(text)s", line=n.line, text=n.text)
                for n in self.rejected]
        return out


@dataclass
class _Row:
    line: int
    state: str
    state_code: str
    district: str
    district_code: str
    product: str
    rank: str
    sector: str
    gi: str


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
    rows = _parse(raw, report)
    version = ReferenceListVersion(
        source_name=source_name[:255], sha256=report.sha256, imported_by=imported_by
    )
    try:
        report.states_added, report.districts_added = ensure_lgd_places()
        _apply_rows(rows, report, version)
        report.live_after = db.session.scalar(
            select(func.count()).select_from(OdopProduct).where(OdopProduct.retired_at.is_(None))
        )
        if report.retires_most and not allow_mass_retire:
            raise MassRetirement(_(
                "This list would retire %(n)d of the %(total)d products now listed. If it really "
                "is the whole national list, apply it again allowing mass retirement (--allow-mass-retire).",
                n=len(report.retired), total=report.live_before_retiring,
            ))
        if dry_run or not report.changes_anything:
            db.session.rollback()
            return report
        version.added = len(report.added)
        version.changed = len(report.changed)
        version.unchanged = report.unchanged
        version.retired = len(report.retired)
        version.rejected = len(report.rejected)
        version.report = "\n".join(report.lines())
        db.session.add(version)
        # Listings of renamed products are found by their new names at once.
        search.reindex_products(report.changed_product_ids)
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


@dataclass
class UploadedList:
    sha256: str
    source_name: str
    raw: bytes


@dataclass
class ReferenceState:
    live: int
    retired: int
    versions: list[ReferenceListVersion]


def reference_state(recent: int = 5) -> ReferenceState:
    """How many products are live and retired, and the latest imports that changed something."""
    count = select(func.count()).select_from(OdopProduct)
    return ReferenceState(
        live=db.session.scalar(count.where(OdopProduct.retired_at.is_(None))),
        retired=db.session.scalar(count.where(OdopProduct.retired_at.is_not(None))),
        versions=list(db.session.scalars(
            select(ReferenceListVersion)
            .order_by(ReferenceListVersion.imported_at.desc(), ReferenceListVersion.id.desc())
            .limit(recent))),
    )


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


def ensure_lgd_places() -> tuple[int, int]:
    """Add any state or district from the shipped LGD tables that the database lacks.

    Returns (states added, districts added). Does not commit.
    """
    known_states = set(db.session.scalars(select(State.lgd_code)))
    known_districts = set(db.session.scalars(select(District.lgd_code)))
    states_added = districts_added = 0
    with SHIPPED_STATES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = int(row["state_lgd_code"])
            if code not in known_states:
                db.session.add(State(
                    lgd_code=code,
                    lgd_name=row["state_name"],
                    name=smart_title(row["state_name"]),
                    kind=row["state_or_ut"],
                    census2011_code=row["census2011_code"] or None,
                ))
                states_added += 1
    db.session.flush()
    with SHIPPED_DISTRICTS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = int(row["district_lgd_code"])
            if code not in known_districts:
                db.session.add(District(
                    lgd_code=code,
                    state_lgd_code=int(row["state_lgd_code"]),
                    lgd_name=row["district_name"],
                    name=smart_title(row["district_name"]),
                    census2011_code=row["census2011_code"] or None,
                    source=row["source"][:200],
                ))
                districts_added += 1
    db.session.flush()
    return states_added, districts_added


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise BadReferenceFile(_("The file is empty."))
    if b"\x00" in raw[:8192]:
        raise BadReferenceFile(_("This is not a CSV text file."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # The official list is published in Windows-1252.
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise BadReferenceFile(_("This file is neither UTF-8 nor Windows-1252 text.")) from error


def _parse(raw: bytes, report: ImportReport) -> list[_Row]:
    text = _decode(raw)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise BadReferenceFile(_("This is not a readable CSV file: %(error)s", error=error)) from error
    while records and not any(clean_cell(cell) for cell in records[0]):
        records.pop(0)
    if not records:
        raise BadReferenceFile(_("The file is empty."))
    header = [fold(cell) for cell in records[0]]
    layout = None
    for candidate in (SHIPPED_LAYOUT, OFFICIAL_LAYOUT):
        if set(candidate) <= set(header):
            layout = candidate
            break
    if layout is None:
        raise BadReferenceFile(_(
            "These are not the columns of an ODOP list. Expected the official columns (State, "
            "Product, District, LGD Code, Category, Sector, GI Status, ...) or the shipped ones "
            "(state, lgd_state_code, district, lgd_district_code, product, odop_rank, sector, "
            "gi_status); found: %(found)s",
            found=(", ".join(clean_cell(cell) for cell in records[0])[:300] or "-") + ".",
        ))
    positions = {name: header.index(column) for column, name in layout.items()}
    rows = []
    # Rows are numbered as a spreadsheet shows them: the header is row 1.
    for number, record in enumerate(records[1:], start=2):
        values = {name: clean_cell(record[index]) if index < len(record) else ""
                  for name, index in positions.items()}
        if not any(values.values()):
            report.blank_rows += 1
            continue
        rows.append(_Row(line=number, state_code=values.get("state_code", ""), **{
            key: values[key] for key in
            ("state", "district", "district_code", "product", "rank", "sector", "gi")
        }))
    if not rows:
        raise BadReferenceFile(_("The file has a header but no products."))
    return rows


def _code(value: str) -> int | None:
    # ASCII digits only: "17¹" passes str.isdigit() but is no code.
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else None


class _Places:
    """Look-ups of states and districts by code and by name.

    Names come from two places: the LGD names (official) and the spellings earlier lists used
    (learned). A learned spelling only ever helps a row whose code is missing or wrong; it never
    overrides a code, so one odd spelling cannot drag later rows to the wrong district.
    """

    def __init__(self) -> None:
        self.states = {s.lgd_code: s for s in db.session.scalars(select(State))}
        self.districts = {d.lgd_code: d for d in db.session.scalars(select(District))}
        self.state_by_key: dict[str, State] = {}
        for state in self.states.values():
            self.state_by_key[fold_place(state.lgd_name)] = state
            self.state_by_key[fold_place(state.name)] = state
        self.official = self._index(
            (d.state_lgd_code, name, d.lgd_code)
            for d in self.districts.values() for name in (d.lgd_name, d.name))
        spellings = db.session.execute(
            select(OdopProduct.district_spelling, OdopProduct.district_lgd_code).distinct())
        self.learned = self._index(
            (self.districts[code].state_lgd_code, spelling, code)
            for spelling, code in spellings if spelling and spelling.strip())

    @staticmethod
    def _index(entries) -> dict[int, dict[str, set[int]]]:
        index: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for state_code, name, district_code in entries:
            key = fold_place(name)
            if key:
                index[state_code][key].add(district_code)
        return index

    def state_for(self, row: _Row) -> State | str:
        if row.state_code:
            code = _code(row.state_code)
            if code not in self.states:
                return _("unknown LGD state code '%(code)s'", code=row.state_code)
            return self.states[code]
        key = fold_place(row.state)
        state = self.state_by_key.get(STATE_ALIASES.get(key, key))
        if state is None:
            return _("unknown state or UT '%(name)s'", name=row.state or "-")
        return state

    def by_name(self, state: State, published: str) -> tuple[set[int], bool]:
        """Districts of the state a published name stands for, and whether it matched whole.

        Tries the whole name, then its readings ('Ayodhya (Faizabad)'), official names first.
        """
        whole = fold_place(published)
        if not whole:
            return set(), False
        for index in (self.official, self.learned):
            found = index[state.lgd_code].get(whole)
            if found:
                return set(found), True
        for index in (self.official, self.learned):
            found: set[int] = set()
            for candidate in place_name_candidates(published):
                found |= index[state.lgd_code].get(candidate, set())
            if found:
                return found, False
        return set(), False

    def district_for(self, row: _Row, state: State) -> tuple[District | None, str]:
        """The row's district and a note (a correction when district is set, else the reason)."""
        code = _code(row.district_code)
        coded = self.districts.get(code) if code is not None else None
        if coded is not None and coded.state_lgd_code == state.lgd_code:
            # A code of the right state stands unless the whole name is, officially, another
            # district's ("Kamrup (M)" is Kamrup Metro's code and must not move to Kamrup).
            official = self.official[state.lgd_code].get(fold_place(row.district), set())
            if len(official) == 1 and coded.lgd_code not in official:
                named = self.districts[next(iter(official))]
                return named, _(
                    "LGD code %(code)d is %(coded)s; '%(name)s' matched %(named)s (%(named_code)d) "
                    "by name", code=code, coded=coded.name, name=row.district, named=named.name,
                    named_code=named.lgd_code)
            return coded, ""
        found, whole = self.by_name(state, row.district)
        named = self.districts[next(iter(found))] if len(found) == 1 else None
        if coded is not None:
            if named is not None:
                return named, _(
                    "LGD code %(code)d is %(coded)s in %(other)s; '%(name)s' matched %(named)s "
                    "(%(named_code)d) in %(state)s by name", code=code, coded=coded.name,
                    other=coded.state.name, name=row.district, named=named.name,
                    named_code=named.lgd_code, state=state.name)
            return None, _(
                "LGD code %(code)d is %(coded)s in %(other)s, and no district of %(state)s is "
                "named '%(name)s'", code=code, coded=coded.name, other=coded.state.name,
                state=state.name, name=row.district)
        if named is not None:
            if not row.district_code and whole:
                return named, ""
            return named, _("LGD code '%(code)s' is not known; '%(name)s' matched %(named)s "
                            "(%(n)d) by name", code=row.district_code or "-",
                            name=row.district, named=named.name, n=named.lgd_code)
        if len(found) > 1:
            return None, _("'%(name)s' could be more than one district of %(state)s",
                           name=row.district, state=state.name)
        return None, _("no district of %(state)s has LGD code '%(code)s' or the name '%(name)s'",
                       state=state.name, code=row.district_code or "-", name=row.district or "-")


def _product_name(published: str) -> str:
    # Fix shouting ("BRASS WARE") and all-lower names, not acronyms ("ESDM"); keep the rest as
    # DPIIT wrote it.
    if published.isupper() and len(re.findall(r"[A-Z]{4,}", published)) >= 2:
        return smart_title(published)
    if published.islower():
        return published[0].upper() + published[1:]
    return published


def _apply_rows(rows: list[_Row], report: ImportReport, version: ReferenceListVersion) -> None:
    places = _Places()
    existing = {(p.district_lgd_code, p.name_key): p for p in db.session.scalars(select(OdopProduct))}
    seen: dict[tuple[int, str], int] = {}
    now = utcnow()
    for row in rows:
        state = places.state_for(row)
        if isinstance(state, str):
            report.rejected.append(RowNote(row.line, state))
            continue
        if not row.product:
            report.rejected.append(RowNote(row.line, _("the product name is blank")))
            continue
        rank = _RANK_WORDS.get(fold(row.rank))
        sector = _SECTOR_WORDS.get(fold(row.sector))
        gi = _GI_WORDS.get(fold(row.gi))
        if rank is None:
            report.rejected.append(RowNote(row.line, _(
                "unknown rank '%(value)s' (expected Primary, Secondary, Tertiary or Others)",
                value=row.rank)))
            continue
        if sector is None:
            report.rejected.append(RowNote(row.line, _(
                "unknown sector '%(value)s' (expected one of %(known)s)",
                value=row.sector, known=", ".join(term.value for term in SECTORS))))
            continue
        if gi is None:
            report.rejected.append(RowNote(row.line, _(
                "GI status '%(value)s' is neither Yes nor No", value=row.gi)))
            continue
        district, note = places.district_for(row, state)
        if district is None:
            report.rejected.append(RowNote(row.line, note))
            continue
        if note:
            report.corrected.append(RowNote(row.line, note))

        key = (district.lgd_code, fold(row.product)[:255])
        if key in seen:
            report.rejected.append(RowNote(row.line, _(
                "the same product for %(district)s as row %(line)d",
                district=district.name, line=seen[key])))
            continue
        seen[key] = row.line
        wanted = {
            "name": _product_name(row.product)[:255],
            "sector": sector,
            "rank": rank,
            "gi_tagged": gi,
            "district_spelling": row.district[:120],
        }
        product = existing.get(key)
        if product is None:
            db.session.add(OdopProduct(district_lgd_code=district.lgd_code, name_key=key[1],
                                       list_version=version, **wanted))
            report.added.append(f"{wanted['name']} ({district.name})")
            continue
        differences = [name for name, value in wanted.items() if getattr(product, name) != value]
        if product.retired_at is not None:
            differences.append("reinstated")
            product.retired_at = None
        if differences:
            for name, value in wanted.items():
                setattr(product, name, value)
            product.list_version = version
            report.changed_product_ids.add(product.id)
            report.changed.append(
                f"{product.name} ({district.name}): {', '.join(differences)}")
        else:
            report.unchanged += 1

    for key, product in existing.items():
        if key not in seen and product.retired_at is None:
            product.retired_at = now
            report.retired.append(f"{product.name} ({places.districts[key[0]].name})")
    db.session.flush()

