"""Document uploads: checked by content, refused clearly, stored privately without metadata."""

import io
import zipfile
import zlib

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Role, Seller, SellerDocument
from tests.conftest import log_in, submit
from tests.factories import make_jpeg, make_pdf, make_places, make_png, make_seller, make_user
from tests.pdf_samples import active_content, pdf_with_packed_objects, with_pikepdf


@pytest.fixture
def seller(app):
    make_places(app)
    email, seller_id = make_seller(app, "complete")
    client = app.test_client()
    log_in(client, email)
    return client, seller_id


def stored_files(app) -> list:
    root = app.extensions["storage"]["private"].root
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload_pan(client, data: bytes, name: str, *, language_prefix: str = ""):
    return submit(client, f"{language_prefix}/seller/onboarding/pan", {
        "pan": "ABCPE1234F", "pan_name": "TEST SELLER", "pan_card": (io.BytesIO(data), name),
        "save_later": "1"})


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize("data, name, expected", [
    (make_pdf(), "card.png", "ends in .png but it is a PDF"),
    (b"<html><script>alert(1)</script></html>", "card.pdf", "not a PDF, JPEG or PNG"),
    (b"", "card.pdf", "The file is empty"),
    (zip_bytes(), "card.jpg", "not a PDF, JPEG or PNG"),
    (make_pdf()[:-40], "card.pdf", "damaged or incomplete"),
    (make_pdf().replace(b"/Type /Catalog", b"/Type /Catalog /Names << /EmbeddedFiles 1 0 R >>"),
     "card.pdf", "has files attached to it"),
    (with_pikepdf(lambda pdf: None, encryption=pikepdf.Encryption(owner="bank", user="")),
     "card.pdf", "protected with a password"),
    # An object stream whose packing hides what is inside behind a predictor.
    (pdf_with_packed_objects([[b"<< >>"]], stream_extra=b"/DecodeParms << /Predictor 12 >>"),
     "card.pdf", "damaged or incomplete"),
    (make_jpeg()[:2000], "card.jpg", "damaged or incomplete"),
])
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_stored(app, seller, data, name,
                                                                          expected):
    client, seller_id = seller
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(SellerDocument))
    files_before = set(stored_files(app))
    response = upload_pan(client, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert expected in page
    assert 'value="ABCPE1234F"' in page  # what was typed comes back
    assert set(stored_files(app)) == files_before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SellerDocument)) == before


def test_an_oversized_file_is_refused(app, seller):
    client, _ = seller
    app.config["DOCUMENT_MAX_BYTES"] = 50_000
    files_before = set(stored_files(app))
    response = upload_pan(client, make_pdf() + b"%" + b"x" * 60_000 + b"\n%%EOF\n", "card.pdf")
    assert response.status_code == 422 and "larger than" in response.get_data(as_text=True)
    assert set(stored_files(app)) == files_before


def test_an_image_bomb_is_refused(app, seller):
    client, _ = seller
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")  # 144 megapixels in a small file
    response = upload_pan(client, out.getvalue(), "card.png")
    assert response.status_code == 422 and "too large" in response.get_data(as_text=True)


def test_photos_are_stored_without_metadata_and_upright(app, seller):
    client, seller_id = seller
    response = upload_pan(client, make_jpeg(640, 480, gps=True, orientation=6), "card.jpeg")
    assert response.status_code == 302
    with app.app_context():
        document = db.session.get(Seller, seller_id).documents_of("pan_card")[0]
        data = app.extensions["storage"]["private"].read(document.storage_key)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size == (480, 640), "the EXIF orientation is applied"
    assert not image.getexif(), "no EXIF (and so no GPS position) is kept"
    assert b"PhoneMaker" not in data


def upload_bank(client, data: bytes, name: str = "scan.pdf"):
    return submit(client, "/seller/onboarding/bank", {
        "bank_holder_name": "Test Seller", "bank_account_number": "", "bank_account_confirm": "",
        "bank_ifsc": "SBIN0001234", "bank_proof": (io.BytesIO(data), name), "save_later": "1"})


def stored_bank_proof(app, seller_id: int) -> bytes:
    with app.app_context():
        bank = db.session.get(Seller, seller_id).documents_of("bank_proof")
        assert len(bank) == 1, "a new file replaces the old one"
        assert "Bank" not in bank[0].storage_key and "scan" not in bank[0].storage_key
        return app.extensions["storage"]["private"].read(bank[0].storage_key)


def test_png_stays_png_and_a_plain_pdf_keeps_its_pages_and_text(app, seller):
    client, seller_id = seller
    assert upload_pan(client, make_png(), "card.PNG").status_code == 302
    pdf = make_pdf("Bank proof")
    assert upload_bank(client, pdf).status_code == 302
    with app.app_context():
        assert db.session.get(Seller, seller_id).documents_of("pan_card")[0].content_type == \
            "image/png"
    stored = stored_bank_proof(app, seller_id)
    assert stored != pdf, "qpdf's copy is kept, not the uploaded bytes"
    with pikepdf.open(io.BytesIO(stored)) as copy:
        assert len(copy.pages) == 1
        assert b"(SPECIMEN - Bank proof) Tj" in copy.pages[0].Contents.read_bytes()
        assert copy.pages[0].MediaBox == [0, 0, 612, 792]


def test_a_pdf_keeps_its_pages_and_links_within_it_but_loses_its_scripts(app, seller):
    client, seller_id = seller

    def three_pages_with_links(pdf):
        for _ in range(2):
            pdf.pages.append(pdf.pages[0])
        target = pikepdf.Array([pdf.pages[2].obj, pikepdf.Name.Fit])
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.pages[0].obj.Annots = pikepdf.Array([
            pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 600, 300, 620],
                A=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=target, Next=script))),
            pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 500, 300, 520],
                A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://x.invalid"))))])
        pdf.Root.OpenAction = script

    assert upload_bank(client, with_pikepdf(three_pages_with_links, text="Statement")).status_code \
        == 302
    with pikepdf.open(io.BytesIO(stored_bank_proof(app, seller_id))) as copy:
        assert len(copy.pages) == 3
        assert all(b"SPECIMEN - Statement" in page.Contents.read_bytes() for page in copy.pages)
        assert active_content(copy) == []
        inside, outside = copy.pages[0].Annots
        assert inside.A.S == pikepdf.Name.GoTo and inside.A.D[0].objgen == copy.pages[2].objgen
        assert "/A" not in outside, "the link out is left as a box that does nothing"


@pytest.mark.parametrize("data, hindi", [
    (with_pikepdf(lambda pdf: None, encryption=pikepdf.Encryption(owner="bank", user="dob")),
     "यह PDF पासवर्ड से सुरक्षित है।"),
    (with_pikepdf(lambda pdf: pdf.attachments.__setitem__(
        "a.exe", pikepdf.AttachedFileSpec(pdf, b"MZ"))), "इस PDF के साथ दूसरी फ़ाइलें जुड़ी"),
])
def test_a_refused_pdf_is_explained_in_hindi(app, seller, data, hindi):
    client, _seller_id = seller
    response = upload_pan(client, data, "card.pdf", language_prefix="/hi")  # the Hindi page
    assert response.status_code == 422 and hindi in response.get_data(as_text=True)


def test_a_pdf_of_too_many_objects_is_refused(app, seller):
    """60,000 tiny objects packed into some hundreds of kilobytes: each would be looked at."""
    client, _ = seller
    files_before = set(stored_files(app))
    response = upload_bank(client, pdf_with_packed_objects([[b"<< >>"] * 60_000],
                                                           catalogue=b""))
    assert response.status_code == 422
    assert "This PDF is too complex for us to check." in response.get_data(as_text=True)
    assert set(stored_files(app)) == files_before


def test_a_pdf_with_too_many_pages_is_refused(app, seller):
    client, seller_id = seller
    app.config["DOCUMENT_MAX_PAGES"] = 3

    def pages(count):
        def change(pdf):
            for _ in range(count - 1):
                pdf.pages.append(pdf.pages[0])
        return change

    files_before = set(stored_files(app))
    response = upload_bank(client, with_pikepdf(pages(4)))
    assert response.status_code == 422
    assert "This PDF has 4 pages. Upload only the pages we ask for, at most 3." in \
        response.get_data(as_text=True)
    assert set(stored_files(app)) == files_before
    assert upload_bank(client, with_pikepdf(pages(3))).status_code == 302


def test_object_streams_are_unpacked_within_one_budget_for_the_whole_file(app, seller):
    """Each stream unpacks to 20 MB, under qpdf's own limit for one; together they are too much."""
    client, _ = seller
    padding = b" " * (20 << 20)
    packed = [[padding + b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"],
              [padding + b"<< >>"]]
    files_before = set(stored_files(app))
    response = upload_bank(client, pdf_with_packed_objects(
        packed, unpacked=lambda raw: zlib.compress(raw, 9)))
    assert response.status_code == 422
    assert "This PDF is damaged or incomplete." in response.get_data(as_text=True)
    assert set(stored_files(app)) == files_before
    # One of them alone is within the budget.
    assert upload_bank(client, pdf_with_packed_objects(
        packed[:1], unpacked=lambda raw: zlib.compress(raw, 9))).status_code == 302


def test_documents_are_private(app, seller):
    client, seller_id = seller
    with app.app_context():
        document = db.session.get(Seller, seller_id).documents_of("pan_card")[0]
        path = f"/documents/{document.id}"
    owner = client.get(path)
    assert owner.status_code == 200 and owner.headers["Content-Type"] == "application/pdf"
    assert owner.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in owner.headers["Cache-Control"]
    assert app.test_client().get(path).status_code == 302  # to the login page
    for role in (Role.BUYER, Role.SELLER):
        other = app.test_client()
        log_in(other, make_user(app, role=role))
        assert other.get(path).status_code == 404
    for role in (Role.STAFF, Role.ADMIN):
        staff = app.test_client()
        log_in(staff, make_user(app, role=role))
        assert staff.get(path).status_code == 200
