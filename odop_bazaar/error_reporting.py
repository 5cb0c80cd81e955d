"""Errors reported to Sentry (or a Sentry-compatible service) when SENTRY_DSN is set; off otherwise.

What is sent is the error and where it happened, not what people typed: no personal data
(send_default_pii off), no local variables of the frames (a password or an Aadhaar number may be
one), no request body, cookies or query string, only a few harmless headers, and the tokens of
email links (/reset-password/<token>, /verify-email/<token>) cut from the address.
"""

from flask import Flask

from odop_bazaar.logs import without_tokens

SAFE_HEADERS = frozenset({"Host", "User-Agent", "Accept", "Accept-Language", "Content-Type",
                          "Content-Length", "Referer", "X-Request-Id"})


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
            request["url"] = without_tokens(request["url"].split("?")[0])
    event.pop("user", None)
    entry = event.get("logentry") or {}
    for key in ("message", "formatted"):
        if isinstance(entry.get(key), str):
            entry[key] = without_tokens(entry[key])
    if "params" in entry:
        entry["params"] = []
    breadcrumbs = event.get("breadcrumbs") or {}
    for crumb in breadcrumbs.get("values", []) if isinstance(breadcrumbs, dict) else []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = without_tokens(crumb["message"])
        crumb.pop("data", None)
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
        # send_default_pii stays at its default, off (sentry-sdk 2.x warns when it is passed).
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=float(app.config.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        before_send=scrub,
        before_send_transaction=scrub,
    )
