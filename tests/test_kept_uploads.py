"""A section refused for one answer keeps the documents that passed, for the seller's next try."""

import html
import io
import re
import time

import pytest
from itsdangerous import URLSafeTimedSerializer
from PIL import Image

from odop_bazaar.extensions import db
from odop_bazaar.models import Seller
from odop_bazaar.services.sellers import kept
from tests.conftest import log_in, submit
from tests.factories import VALID_PAN, make_jpeg, make_pdf, make_places, make_seller

PAN_PAGE = "/seller/onboarding/pan"


@pytest.fixture
def new_seller(app):
    make_places(app)
    email, seller_id = make_seller(app, "new")
    client = app.test_client()
    log_in(client, email)
    return client, seller_id


def other_seller(app):
    email, seller_id = make_seller(app, "new")
    client = app.test_client()
    log_in(client, email)
    return client, seller_id


def kept_token(page: str, field: str) -> str:
    found = re.search(rf'name="{field}_kept" value="([^"]+)"', page)
    assert found, f"no kept file for {field} on the page"
    return html.unescape(found.group(1))


def kept_files(app) -> list:
    folder = app.extensions["storage"]["private"].root / kept.FOLDER
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def documents(app, seller_id: int, kind: str) -> list[bytes]:
    with app.app_context():
        store = app.extensions["storage"]["private"]
        return [store.read(d.storage_key)
                for d in db.session.get(Seller, seller_id).documents_of(kind)]


def post_pan(client, pan: str, *, card=None, token: str = ""):
    data = {"pan": pan, "pan_name": "TEST SELLER", "save_later": "1"}
    if card is not None:
        data["pan_card"] = (io.BytesIO(card[0]), card[1])
    if token:
        data["pan_card_kept"] = token
    return submit(client, PAN_PAGE, data)


def test_a_good_file_is_kept_across_a_wrong_answer_and_used_without_choosing_it_again(
        app, new_seller):
    client, seller_id = new_seller
    refused = post_pan(client, "ABCDE12", card=(make_pdf(), "pan-card.pdf"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Kept: pan-card.pdf (" in page and "choose another file to replace it" in page
    assert 'value="ABCDE12"' in page  # what was typed comes back too
    assert documents(app, seller_id, "pan_card") == []  # nothing saved yet
    token = kept_token(page, "pan_card")
    assert len(kept_files(app)) == 1

    saved = post_pan(client, VALID_PAN, token=token)  # no file chosen this time
    assert saved.status_code == 302
    stored = documents(app, seller_id, "pan_card")
    assert len(stored) == 1 and stored[0].startswith(b"%PDF-")
    assert kept_files(app) == [], "the kept file is used, not left behind"
    # Used once: the same token again finds nothing.
    again = post_pan(client, VALID_PAN, token=token)
    assert again.status_code == 422 and "no longer there" in again.get_data(as_text=True)


def test_another_seller_cannot_use_the_token(app, new_seller):
    client, seller_id = new_seller
    token = kept_token(post_pan(client, "ABCDE12", card=(make_pdf(), "pan.pdf"))
                       .get_data(as_text=True), "pan_card")
    stranger, stranger_id = other_seller(app)
    response = post_pan(stranger, VALID_PAN, token=token)
    assert response.status_code == 422
    assert "The file we kept for you is no longer there" in response.get_data(as_text=True)
    assert documents(app, stranger_id, "pan_card") == []
    # The owner still can.
    assert post_pan(client, VALID_PAN, token=token).status_code == 302
    assert len(documents(app, seller_id, "pan_card")) == 1


def test_an_altered_or_old_token_is_refused_and_old_files_are_deleted(app, new_seller):
    client, seller_id = new_seller
    token = kept_token(post_pan(client, "ABCDE12", card=(make_pdf(), "pan.pdf"))
                       .get_data(as_text=True), "pan_card")
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert post_pan(client, VALID_PAN, token=altered).status_code == 422
    app.config["KEPT_UPLOAD_MAX_AGE"] = -1  # every token is too old
    assert post_pan(client, VALID_PAN, token=token).status_code == 422
    assert documents(app, seller_id, "pan_card") == []
    app.config["KEPT_UPLOAD_MAX_AGE"] = 3600
    with app.app_context():
        assert kept.forget_old() == 0  # still within the hour
        assert kept.forget_old(now=time.time() + 3601) == 1
    assert kept_files(app) == []


def test_files_are_kept_when_the_form_itself_is_refused(app, new_seller):
    """An answer too long for the form is refused before the rules are asked."""
    client, seller_id = new_seller
    response = post_pan(client, "X" * 40, card=(make_pdf(), "pan.pdf"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Kept: pan.pdf" in page
    assert post_pan(client, VALID_PAN, token=kept_token(page, "pan_card")).status_code == 302
    assert len(documents(app, seller_id, "pan_card")) == 1


def test_only_the_files_that_pass_are_kept_and_a_new_choice_replaces_a_kept_one(app,
                                                                                  new_seller):
    client, seller_id = new_seller
    path = "/seller/onboarding/certificates"
    response = submit(client, path, {
        "fssai_number": "123", "save_later": "1",
        "fssai_certificate": (io.BytesIO(make_pdf("FSSAI")), "fssai.pdf"),
        "gi_certificate": (io.BytesIO(b"not a document"), "gi.pdf"),
        "artisan_card": (io.BytesIO(make_jpeg(gps=True)), "card.jpg")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kept: fssai.pdf" in page and "Kept: card.jpg" in page
    assert "Kept: gi.pdf" not in page and "not a PDF, JPEG or PNG" in page
    # A photo kept is already without its metadata, as a stored one would be.
    photo = [p.read_bytes() for p in kept_files(app) if p.read_bytes()[:3] == b"\xff\xd8\xff"]
    assert len(photo) == 1 and not Image.open(io.BytesIO(photo[0])).getexif()
    new_card = make_jpeg(320, 240)
    response = submit(client, path, {
        "fssai_number": "", "save_later": "1",
        "fssai_certificate_kept": kept_token(page, "fssai_certificate"),
        "artisan_card_kept": kept_token(page, "artisan_card"),
        "artisan_card": (io.BytesIO(new_card), "new-card.jpg")})
    assert response.status_code == 302
    assert documents(app, seller_id, "fssai_certificate")[0].startswith(b"%PDF-")
    assert Image.open(io.BytesIO(documents(app, seller_id, "artisan_card")[0])).size == (320, 240)
    assert kept_files(app) == [], "the replaced kept file is deleted too"


def test_a_number_in_the_file_name_is_not_kept_or_shown(app, new_seller):
    client, _seller_id = new_seller
    response = post_pan(client, "ABCDE12", card=(make_pdf(), "aadhaar 2345 6789 0123.pdf"))
    page = response.get_data(as_text=True)
    assert "Kept: aadhaar XXXX0123.pdf" in page
    assert "2345 6789" not in page
    claim = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="kept-upload").loads(
        kept_token(page, "pan_card"))
    assert "2345" not in repr(claim)
    assert str(kept_files(app)[0]).startswith(str(app.extensions["storage"]["private"].root))


def test_the_kept_note_is_in_hindi(app, new_seller):
    client, _seller_id = new_seller
    response = submit(client, "/hi" + PAN_PAGE, {
        "pan": "ABCDE12", "pan_name": "X", "save_later": "1",
        "pan_card": (io.BytesIO(make_pdf()), "pan.pdf")})
    assert response.status_code == 422
    assert "रखी गई फ़ाइल: pan.pdf" in response.get_data(as_text=True)


def test_a_post_from_elsewhere_keeps_nothing(app, new_seller):
    """Without the page's CSRF token (a form on another site), no file is kept for anyone."""
    client, _seller_id = new_seller
    response = client.post(PAN_PAGE, data={
        "pan": "ABCDE12", "save_later": "1", "pan_card": (io.BytesIO(make_pdf()), "pan.pdf")})
    assert response.status_code == 400
    assert kept_files(app) == []
