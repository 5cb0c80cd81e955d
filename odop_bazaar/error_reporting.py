"""Errors reported to Sentry (or a Sentry-compatible service) when SENTRY_DSN is set; off otherwise.

What is sent is the error and where it happened, not what people typed: no personal data
(send_default_pii off), no local variables of the frames (a password or an Aadhaar number may be
one), no request body, cookies or query string, only a few harmless headers, and the tokens of
email links (/reset-password/<token>, /verify-email/<token>) cut from the address.
"""

import re

from flask import Flask

SAFE_HEADERS = frozenset({"Host", "User-Agent", "Accept", "Accept-Language", "Content-Type",
                          "Content-Length", "Referer", "X-Request-Id"})
# A path segment this long is a token (signed email links), never a name of ours.
_TOKEN_SEGMENT = re.compile(r"/[^/]{32,}")


def scrub(event: dict, hint=None) -> dict:
    """Sentry's before_send: drop everything in the request that may be private."""
    request = event.get("request")
    if request:
        for private in ("data", "cookies", "query_string", "env"):
            request.pop(private, None)
        headers = request.get("headers") or {}
        request["headers"] = {name: value for name, value in headers.items()
                              if name.title() in SAFE_HEADERS}
        if request.get("url"):
            request["url"] = _TOKEN_SEGMENT.sub("/[token]", request["url"].split("?")[0])
    event.pop("user", None)
    return event


def init_app(app: Flask) -> None:
    """Start the Sentry client when SENTRY_DSN is set."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration()],
        environment=app.config["CONFIG_NAME"],
        release=app.config.get("CODE_VERSION"),
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=float(app.config.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        before_send=scrub,
        before_send_transaction=scrub,
    )
