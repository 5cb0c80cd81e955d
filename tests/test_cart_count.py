"""The header's cart count: a cookie the cart keeps (the header itself is shared and cached, so
the count is never in a page's HTML)."""

from tests.checkout_helpers import add, place
from tests.conftest import log_in, submit
from tests.factories import shop


def _count_cookie(client):
    cookie = client.get_cookie("cart_count")
    return cookie.value if cookie else None


def test_the_cart_count_follows_the_cart_through_sign_in_and_ordering(app, client):
    saree, stole, buyer = shop(app)
    assert _count_cookie(client) is None
    add(client, saree, "2")
    assert _count_cookie(client) == "2"
    add(client, stole)
    assert _count_cookie(client) == "3"
    submit(client, f"/cart/items/{stole}/remove", {}, token_from="/cart")
    assert _count_cookie(client) == "2"
    log_in(client, buyer)  # the visitor's cart becomes the buyer's
    assert _count_cookie(client) == "2"
    assert place(client).status_code == 303
    assert _count_cookie(client) is None  # ordered: the cart is empty


def test_a_stale_count_is_put_right_by_opening_the_cart(app, client):
    saree, _stole, _buyer = shop(app)
    add(client, saree)
    client.set_cookie("cart_count", "7")
    client.get("/cart")
    assert _count_cookie(client) == "1"


def test_the_count_is_never_in_the_shared_header(app, client):
    saree, _stole, _buyer = shop(app)
    add(client, saree, "2")
    home = client.get("/").get_data(as_text=True)
    assert 'data-cart-count hidden></span>' in home  # filled in by the page's script
    stranger = app.test_client()
    stranger.set_cookie("cart_count", "2")  # a count and no session: the page stays public
    response = stranger.get("/")
    assert response.headers["Cache-Control"].startswith("public") and "Set-Cookie" not in response.headers
