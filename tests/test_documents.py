"""Document uploads: checked by content, refused clearly, stored privately without metadata."""

import io
import zipfile

import pytest
from PIL import Image
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Role, Seller, SellerDocument
from tests.conftest import log_in, submit
from tests.factories import make_jpeg, make_pdf, make_places, make_png, make_seller, make_user


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


def upload_pan(client, data: bytes, name: str):
    return submit(client, "/seller/onboarding/pan", {
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
    (make_pdf().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>"),
     "card.pdf", "contains scripts"),
    (make_pdf().replace(b"/Type /Catalog", b"/Type /Catalog /AA << /S /J#61vaScript >>"),
     "card.pdf", "contains scripts"),
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


def test_png_stays_png_and_pdf_is_kept_as_is(app, seller):
    client, seller_id = seller
    assert upload_pan(client, make_png(), "card.PNG").status_code == 302
    pdf = make_pdf("Bank proof")
    response = submit(client, "/seller/onboarding/bank", {
        "bank_holder_name": "Test Seller", "bank_account_number": "", "bank_account_confirm": "",
        "bank_ifsc": "SBIN0001234", "bank_proof": (io.BytesIO(pdf), "scan.pdf"),
        "save_later": "1"})
    assert response.status_code == 302
    with app.app_context():
        seller = db.session.get(Seller, seller_id)
        assert seller.documents_of("pan_card")[0].content_type == "image/png"
        bank = seller.documents_of("bank_proof")
        assert len(bank) == 1, "a new file replaces the old one"
        assert app.extensions["storage"]["private"].read(bank[0].storage_key) == pdf
        assert "Bank" not in bank[0].storage_key and "scan" not in bank[0].storage_key


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
