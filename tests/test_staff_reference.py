"""The staff page for a newer ODOP list: upload, check the preview, apply (admins only)."""

import html
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Listing, OdopProduct, ReferenceListVersion, Role, User
from odop_bazaar.services.reference import odop_list
from tests.conftest import check_access, log_in, submit
from tests.factories import listing, make_places, make_seller, make_user
from tests.reference_files import OFFICIAL_HEADER, counts, official_csv, product

# make_places() holds Metal Craft (Moradabad), Banarasi Silk Sarees and Wooden Lacquerware and
# Toys (Varanasi), and Cashew (North Goa). The newer list keeps two as they are, ranks the toys
# higher, adds Zari Zardozi, leaves out the sarees, and has one row fixed and one refused.
NEWER = [
    ["Uttar Pradesh", "Metal Craft", "Moradabad", "171", "Primary", "Handicraft", "", "Yes", "", ""],
    ["Uttar Pradesh", "Wooden Lacquerware and Toys", "Varanasi", "187", "Primary", "Handicraft", "",
     "No", "", ""],
    ["Goa", "Cashew", "North Goa", "551", "Primary", "Agriculture", "", "Yes", "", ""],
    ["Uttar Pradesh", "Zari Zardozi", "Varanasi", "187", "Secondary", "Handicraft", "", "No", "", ""],
    # Moradabad's code with Firozabad's name written whole: matched to Firozabad, and said so
    ["Uttar Pradesh", "Glass Items", "Firozabad", "171", "Primary", "Manufacturing", "", "No", "",
     ""],
    ["Uttar Pradesh", "Something", "Atlantis", "99999", "Primary", "Handicraft", "", "No", "", ""],
]


@pytest.fixture
def admin(app):
    email = make_user(app, Role.ADMIN)
    client = app.test_client()
    log_in(client, email)
    client.email = email
    return client


def upload(client, raw: bytes, name: str = "ODOP_v33.csv"):
    return submit(client, "/staff/reference", {"list_file": (io.BytesIO(raw), name)},
                  content_type="multipart/form-data")


def preview(client, raw: bytes, name: str = "ODOP_v33.csv") -> tuple[str, str]:
    """Upload a list and open its preview; returns (the preview page, the file's SHA-256)."""
    response = upload(client, raw, name)
    assert response.status_code == 303, response.get_data(as_text=True)
    sha256 = response.location.rsplit("/", 1)[-1]
    page = client.get(response.location)
    assert page.status_code == 200
    return page.get_data(as_text=True), sha256


def apply(client, sha256: str, **extra):
    return submit(client, "/staff/reference/apply", {"sha256": sha256, **extra},
                  token_from="/staff/reference")


def section(page: str, name: str) -> str:
    """The text of one list of the preview (added, changed, retired, corrected, rejected)."""
    match = re.search(rf'<section aria-labelledby="{name}">(.*?)</section>', page, re.S)
    assert match, f"no {name} section"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def stored_uploads(app) -> list[Path]:
    folder = Path(app.config["STORAGE_ROOT"]) / "private" / odop_list.UPLOAD_AREA
    return sorted(folder.glob("*")) if folder.exists() else []


def test_upload_preview_apply_and_apply_again(app, admin):
    make_places(app)
    _, seller_id = make_seller(app, "approved")  # sells Banarasi Silk Sarees (Varanasi)
    listing_id = listing(app, seller_id, "Handwoven Banarasi saree")
    with app.app_context():
        sarees_id = product(187, "Banarasi Silk Sarees").id
        before = counts()
    raw = official_csv(NEWER)

    page, sha256 = preview(admin, raw)
    added, changed = section(page, "added"), section(page, "changed")
    retired, rejected = section(page, "retired"), section(page, "rejected")
    assert "Zari Zardozi (Varanasi)" in added and "Glass Items (Firozabad)" in added
    assert "Metal Craft" not in added + changed + retired and "Cashew" not in added + changed
    assert "Wooden Lacquerware and Toys (Varanasi): rank" in changed
    assert "Banarasi Silk Sarees (Varanasi)" in retired
    assert "Row 7" in rejected and "Atlantis" in rejected
    assert "Row 6" in section(page, "corrected") and "Firozabad" in section(page, "corrected")
    assert "ODOP_v33.csv" in page and "Apply this list" in page
    assert "would retire most products" not in page
    # Kept on the server under its SHA-256, not in the visitor's cookie; nothing applied yet.
    assert [path.name for path in stored_uploads(app)] == [f"{sha256}.csv", f"{sha256}.name"]
    assert (stored_uploads(app)[0]).read_bytes() == raw
    with app.app_context():
        assert counts() == before

    response = apply(admin, sha256)
    assert response.status_code == 303 and response.location == "/staff/reference"
    page = admin.get(response.location).get_data(as_text=True)
    assert "is applied" in page and "Products added: 2, changed: 1, retired: 1" in page
    assert "ODOP_v33.csv" in page and admin.email in page  # in the latest imports
    with app.app_context():
        assert product(187, "Zari Zardozi").rank == "Secondary"
        assert product(187, "Wooden Lacquerware and Toys").rank == "Primary"
        sarees = db.session.get(OdopProduct, sarees_id)
        assert sarees is not None and sarees.is_retired, "retired, never deleted"
        kept = db.session.get(Listing, listing_id)
        assert kept is not None and kept.live_content.odop_product_id == sarees_id
        version = db.session.scalar(select(ReferenceListVersion))
        assert (version.source_name, version.imported_by) == ("ODOP_v33.csv", admin.email)
        assert (version.added, version.changed, version.retired, version.rejected) == (2, 1, 1, 1)
        audit = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "reference_list"))
        admin_id = db.session.scalar(select(User.id).where(User.email == admin.email))
        assert (audit.object_id, audit.action, audit.actor_id) == (version.id, "import", admin_id)
        assert "ODOP_v33.csv" in audit.note and "Products added: 2" in audit.note
        after = counts()

    # The same file again: the preview says it would change nothing, and applying changes nothing.
    page, again = preview(admin, raw)
    assert again == sha256
    assert "already matches this list" in page and "Apply this list" not in page
    response = apply(admin, sha256)
    assert response.status_code == 303
    assert "already matches" in admin.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert counts() == after and after["versions"] == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "reference_list")) == 1


def test_a_long_list_is_shown_a_page_at_a_time(app, admin):
    page, sha256 = preview(admin, odop_list.SHIPPED_PRODUCTS.read_bytes(), "odop.csv")
    added = section(page, "added")
    assert "Products added (1,241)" in added and "Showing 1 to 100 of 1,241" in added
    assert page.count("<li>") < 150
    last = admin.get(f"/staff/reference/preview/{sha256}?added=13").get_data(as_text=True)
    assert "Showing 1,201 to 1,241 of 1,241" in section(last, "added")
    assert "Page 13 of 13" in last
    # A page past the end shows the last one rather than nothing.
    assert "Page 13 of 13" in admin.get(
        f"/staff/reference/preview/{sha256}?added=999").get_data(as_text=True)


@pytest.mark.parametrize("raw, name, message", [
    (b"%PDF-1.7\n\x00\x01binary", "list.pdf", "not a CSV text file"),
    (b"name,price\nSaree,100\n", "prices.csv", "not the columns of an ODOP list"),
    (b"", "empty.csv", "The file is empty"),
    (",".join(OFFICIAL_HEADER).encode() + b"\r\n", "header.csv", "has a header but no products"),
    (official_csv(NEWER) + b"x" * odop_list.UPLOAD_MAX_BYTES, "huge.csv", "larger than 5 MB"),
])
def test_a_bad_file_is_refused_with_a_reason_and_nothing_changes(app, admin, raw, name, message):
    make_places(app)
    with app.app_context():
        before = counts()
    response = upload(admin, raw, name)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert message in page and "There is a problem" in page
    assert "at most 5 MB" in page  # the hint says how large a file may be
    assert stored_uploads(app) == []
    with app.app_context():
        assert counts() == before


def test_the_upload_needs_a_file(app, admin):
    response = submit(admin, "/staff/reference", {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose the CSV file of the ODOP list." in response.get_data(as_text=True)


def test_a_list_retiring_most_products_needs_the_box_ticked(app, admin):
    make_places(app)  # four products
    partial = official_csv([NEWER[2]])  # Cashew alone: the other three would be retired
    page, sha256 = preview(admin, partial, "partial.csv")
    assert "This list would retire most products" in page
    assert "It would retire 3 of the 4 products now live" in page
    assert "Apply anyway, retiring 3 products" in page
    with app.app_context():
        before = counts()

    response = apply(admin, sha256)
    assert response.status_code == 303 and response.location.endswith(f"/preview/{sha256}")
    page = admin.get(response.location).get_data(as_text=True)
    assert "Nothing was changed: this list would retire most products" in page
    with app.app_context():
        assert counts() == before and before["live"] == 4

    response = apply(admin, sha256, allow_mass_retire="y")
    assert response.status_code == 303 and response.location == "/staff/reference"
    with app.app_context():
        assert counts()["live"] == 1 and counts()["products"] == 4
        assert counts()["versions"] == 1


@pytest.mark.parametrize("path", [
    "/staff/reference/preview/" + "0" * 64,
    "/staff/reference/preview/not-a-sha256",
])
def test_an_unknown_upload_is_not_found(app, admin, path):
    response = admin.get(path)
    assert response.status_code == 404
    assert "That uploaded list is not kept here" in response.get_data(as_text=True)


@pytest.mark.parametrize("sha256", ["0" * 64, "", "../../etc/passwd"])
def test_applying_an_unknown_upload_is_not_found_and_changes_nothing(app, admin, sha256):
    make_places(app)
    with app.app_context():
        before = counts()
    response = apply(admin, sha256)
    assert response.status_code == 404
    assert "That uploaded list is not kept here" in response.get_data(as_text=True)
    with app.app_context():
        assert counts() == before


def test_forms_without_the_csrf_token_are_refused(app, admin):
    make_places(app)
    _, sha256 = preview(admin, official_csv(NEWER))
    with app.app_context():
        before = counts()
    response = admin.post("/staff/reference/apply", data={"sha256": sha256})
    assert response.status_code == 400
    response = admin.post("/staff/reference", data={
        "list_file": (io.BytesIO(official_csv(NEWER[:1])), "other.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert len(stored_uploads(app)) == 2  # the first upload's file and name only
    with app.app_context():
        assert counts() == before


ROUTES = [
    ("GET", "/staff/reference"),
    ("POST", "/staff/reference"),
    ("GET", "/staff/reference/preview/" + "a" * 64),
    ("POST", "/staff/reference/apply"),
]


@pytest.mark.parametrize("method, path", ROUTES)
@pytest.mark.parametrize("role", [None, Role.BUYER, Role.SELLER, Role.STAFF])
def test_only_admins_may_use_the_reference_pages(app, method, path, role):
    email = make_user(app, role) if role else None
    check_access(app, email, method, path, {"sha256": "a" * 64},
                 "login" if role is None else 403)


def test_an_admin_sees_what_is_loaded(app, admin):
    with app.app_context():
        odop_list.import_shipped_list(imported_by="flask import-odop")
    page = admin.get("/staff/reference").get_data(as_text=True)
    assert "1,241 ODOP products are live." in page
    assert "odop_products.csv" in page and "flask import-odop" in page
    assert 'data-label="Added">1,241<' in page
