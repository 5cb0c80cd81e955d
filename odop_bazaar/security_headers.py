"""Security headers on every response.

The Content-Security-Policy allows scripts, styles, fonts and images only from this site: the
templates hold no inline script, style attribute or event handler, so none is needed. When card
payments are configured, Stripe.js (STRIPE_JS_URL), the frames it opens and the API it calls
(STRIPE_API_BASE, or Stripe's own) are allowed too, as Stripe documents. A view that sets its
own policy (a private document is served sandboxed) keeps it.
"""

from urllib.parse import urlsplit

from flask import Flask, Response

STRIPE_FRAMES = ("https://js.stripe.com", "https://hooks.stripe.com")
STRIPE_API = "https://api.stripe.com"


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(config) -> str:
    script, frame, connect = ["'self'"], [], ["'self'"]
    if config.get("STRIPE_SECRET_KEY"):
        js = _origin(config.get("STRIPE_JS_URL"))
        api = _origin(config.get("STRIPE_API_BASE")) or STRIPE_API
        script += [js] if js else []
        frame += [*STRIPE_FRAMES, *([js] if js and js not in STRIPE_FRAMES else [])]
        connect += [api]
    directives = {
        "default-src": ["'self'"],
        "script-src": script,
        "style-src": ["'self'"],
        # Product photos may come from the bucket or a CDN (MEDIA_URL, storage.py).
        "img-src": ["'self'", "data:", *filter(None, [_origin(config.get("MEDIA_URL"))])],
        "font-src": ["'self'"],
        "connect-src": connect,
        "frame-src": frame or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(dict.fromkeys(values))}"
                     for name, values in directives.items())


# A photo opened on its own (the gallery's plain link without JavaScript) is shown by the
# browser's image viewer, which styles its page inline: an image may not run anything, so its
# answer gets a policy of its own that allows just that.
IMAGE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def init_app(app: Flask) -> None:
    policy = content_security_policy(app.config)
    hsts_seconds = app.config.get("HSTS_SECONDS", 0)
    fixed = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",  # for browsers older than frame-ancestors
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(self)",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if hsts_seconds:
        fixed["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        is_image = (response.mimetype or "").startswith("image/")
        response.headers.setdefault("Content-Security-Policy",
                                    IMAGE_POLICY if is_image else policy)
        for name, value in fixed.items():
            response.headers.setdefault(name, value)
        return response
