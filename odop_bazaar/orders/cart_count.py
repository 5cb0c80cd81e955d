"""The cart's count for the header, in a small cookie the page's script reads.

The header is cached per language and role (page_cache.site_chrome) and buyer pages are cached
by browsers and proxies, so no count can be written into their HTML. Instead, every answer after
something that may change the cart (adding, changing, removing, ordering, signing in or out, or
opening the cart or checkout) carries `cart_count`: the number of items, nothing else, not
HttpOnly because static/js/app.js shows it beside "Cart". It holds nothing secret, and pages
that set no cookie stay cacheable. Without JavaScript the link simply says "Cart".
"""

from flask import current_app, g, request, session
from flask_login import current_user, user_logged_in, user_logged_out

from odop_bazaar.orders import bp
from odop_bazaar.services.orders import cart as cart_service

COOKIE = "cart_count"
_ASKED = "cart_count_changed"
# Pages that show the cart as it is now: opening them puts a stale count right.
_SHOWING_THE_CART = {"orders.cart", "orders.checkout"}


def cart_may_have_changed() -> None:
    """Note that this request may have changed the cart: its answer carries the new count."""
    g.setdefault(_ASKED, True)


@user_logged_in.connect
def _signed_in(sender, user, **extra):
    cart_may_have_changed()


@user_logged_out.connect
def _signed_out(sender, user, **extra):
    cart_may_have_changed()


@bp.after_app_request
def _keep_the_count(response):
    if not (g.get(_ASKED) or request.endpoint in _SHOWING_THE_CART):
        return response
    buyer = current_user.is_authenticated and current_user.is_buyer
    owner = current_user if buyer else None
    count = cart_service.count(owner, session) if buyer or not current_user.is_authenticated else 0
    if request.cookies.get(COOKIE) == str(count) or (count == 0 and COOKIE not in request.cookies):
        return response
    if count:
        response.set_cookie(COOKIE, str(count), max_age=30 * 24 * 3600, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
                            httponly=False)  # nosec B604: the script reads it; only a number
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
