"""Friendly error pages: never a bare stack trace."""

import io

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import User


def test_an_unexpected_error_shows_a_kind_page_and_saves_nothing(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        db.session.add(User(email="half@example.com", full_name="Half", password_hash="x"))
        db.session.flush()
        raise RuntimeError("boom")

    app.add_url_rule("/_test/broken", "broken", broken)
    response = client.get("/_test/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "something went wrong on our side" in page and "boom" not in page
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []
    assert client.get("/").status_code == 200


def test_a_too_large_upload_is_a_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/login", data={"email": "x", "file": (io.BytesIO(b"x" * 5000), "a.jpg")})
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)


def test_a_form_far_larger_than_any_of_ours_is_refused_before_it_is_read(app, client):
    # Hundreds of thousands of tiny fields cost seconds to split apart; no form of ours comes
    # near the limit (a listing with every field full of Devanagari is under 80 kB).
    body = "email=a%40example.com&" + "&".join(f"f{n}=1" for n in range(40_000))
    response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "That form is too large" in page and "smaller file" not in page


def test_a_wrong_method_is_a_405_page(client):
    response = client.post("/")
    assert response.status_code == 405 and "not possible here" in response.get_data(as_text=True)


def test_numbers_too_large_for_the_database_are_a_404(client):
    for path in ("/states/99999999999999999999999", "/districts/2147483648",
                 "/staff/sellers/99999999999"):
        assert client.get(path).status_code == 404, path


def test_a_nul_byte_anywhere_is_a_clear_400(app, client):
    from tests.conftest import submit

    assert client.get("/search?q=a%00b").status_code == 400
    response = submit(client, "/register", {"account_type": "buyer", "full_name": "A\x00B",
                                            "email": "nul@example.com", "password": "long-enough-1",
                                            "confirm": "long-enough-1"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []


def _register_body(token, name: bytes) -> list[tuple[bytes, bytes]]:
    return [(b"csrf_token", token.encode()), (b"account_type", b"buyer"),
            (b"email", b"garbled@example.com"), (b"password", b"long-enough-1"),
            (b"confirm", b"long-enough-1"), (b"full_name", name)]


def _urlencoded(fields):
    return b"&".join(key + b"=" + value for key, value in fields), "application/x-www-form-urlencoded"


def _multipart(fields):
    parts = [b'--XX\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % field
             for field in fields]
    return b"".join(parts) + b"--XX--\r\n", "multipart/form-data; boundary=XX"


# Werkzeug's own reading of each: the whole body dropped (so the page said the form had
# expired), the three characters "%FF" stored, and U+FFFD stored in place of a letter.
@pytest.mark.parametrize("encode, name", [(_urlencoded, b"Ra\xffm"), (_urlencoded, b"Ra%FFm"),
                                          (_multipart, b"Ra\xffm")],
                         ids=["raw bytes", "percent-encoded", "multipart"])
@pytest.mark.parametrize("language, message", [
    ("en", "We could not read the text you sent"), ("hi", "आपका भेजा गया टेक्स्ट हम पढ़ नहीं पाए")],
    ids=["en", "hi"])
def test_text_that_is_not_utf8_is_refused_as_unreadable_not_as_an_expired_form(
        app, client, encode, name, language, message):
    from tests.conftest import csrf_token

    path = "/register" if language == "en" else f"/{language}/register"
    body, content_type = encode(_register_body(csrf_token(client, path), name))
    response = client.post(path, data=body, content_type=content_type)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and "expired" not in page and "समय खत्म" not in page
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []
    # The same form in good UTF-8, Devanagari included, still goes through.
    body, content_type = encode(_register_body(csrf_token(client, "/register"), "राम".encode()))
    assert client.post("/register", data=body, content_type=content_type).status_code == 302
