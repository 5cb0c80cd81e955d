"""Which answers a browser, proxy or CDN may keep, and for how long.

A buyer page (home, state, district, sector, search, product: views marked @buyer_page) asked
for by someone who carries no session or remember cookie is the same for everyone who opens its
address: it is public for a short while, with a strong ETag so that a browser's or cache's next
request costs a 304. s-maxage=2 keeps a shared cache within about two seconds of the shop (a
change shows there within that time plus the app's own second); max-age=30 lets a browser going
back and forth not ask at all; stale-while-revalidate lets a cache answer at once while it asks.
Vary: Cookie keeps a cache from giving one person's answer to someone with a session.

A buyer page's 404 (a product taken off the shop), its 301 to the product's own address, or a
search refused as malformed is kept by shared caches for the same two seconds only, so a flood
of requests for a missing page is absorbed and a newly published product shows at once in a
browser. Everything else (any page for someone signed in or with a session, every form, every
error) is `private, no-cache`, unless the view said otherwise (photos and static files do).
"""

from flask import Flask, Response, current_app, request, session

PUBLIC = "public, max-age=30, s-maxage=2, stale-while-revalidate=10"
PUBLIC_BRIEFLY = "public, max-age=0, s-maxage=2"
PRIVATE = "private, no-cache"


def buyer_page(view):
    """Mark a view whose answer to an anonymous visitor is the same for everyone."""
    view.buyer_page = True
    return view


def _is_buyer_page() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "buyer_page", False)


def _anonymous(response: Response) -> bool:
    """Nothing in this request or its answer belongs to one visitor."""
    config = current_app.config
    cookies = request.cookies
    carries = (config["SESSION_COOKIE_NAME"] in cookies
               or config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies)
    # The session is written after this runs, so a page that changed it would set a cookie.
    return not carries and not session.modified and "Set-Cookie" not in response.headers


def _cache_control(response: Response) -> str:
    if request.method not in ("GET", "HEAD") or not _is_buyer_page():
        return PRIVATE
    response.vary.add("Cookie")
    if not _anonymous(response):
        return PRIVATE
    if response.status_code == 200:
        return PUBLIC
    return PUBLIC_BRIEFLY if response.status_code < 500 else PRIVATE


def add_cache_headers(response: Response) -> Response:
    """Cache-Control on every answer without its own; an ETag and 304s on public pages."""
    if "Cache-Control" in response.headers:
        return response
    response.headers["Cache-Control"] = _cache_control(response)
    if response.headers["Cache-Control"] == PUBLIC:
        response.add_etag()  # strong: a hash of the body, which is the same for everyone
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_cache_headers)
