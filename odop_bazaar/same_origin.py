"""Forms on pages any cache may keep: checked by where they were sent from, not by a token.

The product page is the same for every visitor so that browsers and proxies may keep it (see
http_caching.py), so its add-to-cart form cannot carry the visitor's CSRF token; giving a
first-time visitor one would also set a cookie on a page that must set none. A forged
cross-site request is refused instead by its origin: browsers send Origin with every POST, or
at least a Referer (our Referrer-Policy sends our own origin), and our cookies are
SameSite=Lax, so another site's POST arrives without them and with its own origin. The site's
origin is the request's own scheme and host: Flask refuses a Host that is not SERVER_NAME
(TRUSTED_HOSTS), and behind a proxy ProxyFix (BEHIND_PROXY) has set both from the proxy's
X-Forwarded headers. Every other form keeps Flask-WTF's token.
"""

from functools import wraps
from urllib.parse import urlsplit

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden

from odop_bazaar.extensions import csrf

DEFAULT_PORTS = {"http": 80, "https": 443}


class CrossOriginRequest(Forbidden):
    """A form for one of our pages arrived from another site, or without saying where from."""

    title = _l("This form came from another site")
    advice = _l("We only take this form from ODOP Bazaar's own pages. Go back to the product "
                "page, reload it and try again. Nothing has been saved.")


def _origin(url: str | None) -> tuple | None:
    try:
        parts = urlsplit(url or "")
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def sent_from_this_site() -> bool:
    """Whether this request's Origin (or, without one, its Referer) is this site."""
    ours = _origin(f"{request.scheme}://{request.host}")
    sender = request.headers.get("Origin") or request.headers.get("Referer")
    # No Origin and no Referer: no browser sends a POST like that unless told to hide where it
    # came from, which a forged request would ask for; "null" (a sandboxed frame) is the same.
    return ours is not None and _origin(sender) == ours


def same_origin_required(view):
    """Take this POST without a CSRF token when it comes from one of the site's own pages."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not sent_from_this_site():
            raise CrossOriginRequest()
        return view(*args, **kwargs)

    csrf.exempt(checked)  # the same name as the view's: Flask-WTF exempts views by name
    return checked
