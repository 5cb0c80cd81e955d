"""The API's documentation: the description at the top of the OpenAPI document, and a page
that shows that document with Swagger UI from static/vendor (nothing loaded from the internet)."""

from flask import Blueprint, Flask, render_template, url_for

DESCRIPTION = """\
The ODOP Bazaar API: the public catalogue for anyone, and for sellers, buyers and staff the
same actions as their pages, through the same rules.

## Tokens
Make a personal access token on your account page (Account → API tokens). It is shown once;
send it as `Authorization: Bearer <token>`. A token has a name, scopes and an expiry, and can be
revoked there at any time; it stops working when its account is suspended. Cookies never
authenticate the API.

Scopes: `read` (your own listings, orders, payouts and checklist), `seller:write` (sellers:
change listings and orders), `staff` (staff: the review queues and decisions, within your
places).

## Errors
Every error is `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail` and,
when input was refused, `errors` with the messages the forms show, by field. <a
id="problem-invalid-fields"></a>`invalid-fields`: correct the fields named. <a
id="problem-changed-meanwhile"></a>`changed-meanwhile`: someone else changed it first; fetch it
again. <a id="problem-not-allowed-now"></a>`not-allowed-now`: not possible from its present
status. <a id="problem-refused"></a>`refused`: a rule refused it; `detail` says which.

## Paging, caching, language
Lists return `{"items": [...], "next": cursor}`; pass `next` as `after` for the next page (a
`Link: rel="next"` header says the same). Public answers carry `Cache-Control` and a strong
`ETag`; send `If-None-Match` for a 304. Text comes in English or Hindi by `Accept-Language`.

## Retries and limits
POSTs that create (a listing, a photo) take an `Idempotency-Key` header: a retry with the same
key and body within 24 hours gets the first answer (with `Idempotent-Replayed: true`), not a
second copy. Requests are limited per token (per address without one): a 429 says when to
try again.

## Web only, for now
Cart, checkout and payment, returns and complaints by buyers, reviews, onboarding forms and
document uploads are on the website only. Buyers read their orders through the API and cancel
them on the website; staff open a seller's documents through the links the API gives, signed
in on the website.
"""

bp = Blueprint("api_docs_page", __name__)


@bp.get("/api/v1/docs")
def docs():
    """Swagger UI over /api/v1/openapi.json."""
    return render_template("api/docs.html",
                           spec_url=url_for("api-docs.openapi_json"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
