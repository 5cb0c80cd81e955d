"""Friendly error pages: never a bare stack trace."""

from odop_bazaar.extensions import db


def test_an_unexpected_error_shows_a_kind_page(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/_test/broken", "broken", broken)
    response = client.get("/_test/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "something went wrong on our side" in page and "boom" not in page
    with app.app_context():
        assert db.session.is_active


def test_a_too_large_request_is_a_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/login", data={"email": "x" * 5000})
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)


def test_a_wrong_method_is_a_405_page(client):
    response = client.post("/")
    assert response.status_code == 405 and "not possible here" in response.get_data(as_text=True)
