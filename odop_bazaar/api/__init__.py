"""The JSON API under /api/v1: flask-smorest blueprints over the same services the pages call.

Why flask-smorest: it is a Flask extension bound with init_app to our own app (apiflask wants
its own APIFlask app class), it describes each view from the marshmallow schemas that also
validate it (so the OpenAPI document cannot drift from the code), and its blueprints are plain
Flask blueprints, so the limiter, CSRF exemption, access matrix and error pages treat them like
any other.

One module per audience: catalogue (public), account (the token's own person), seller_*
(sellers' listings, photos, orders, returns, payouts), buyer_orders, staff_review. Each view
is guarded by auth.token_required unless public, reads plain values with @blp.arguments,
calls one service, and answers through a schema; errors are problem details (problems.py).
"""

from flask import Flask
from flask_smorest import Api

from odop_bazaar.api import problems
from odop_bazaar.api.auth import SECURITY_SCHEME
from odop_bazaar.api.blueprints import VERSION_PREFIX
from odop_bazaar.hardening import IdConverter


class OdopApi(Api):
    """flask-smorest's Api, with errors left to odop_bazaar.errors (which answers problem
    details under /api/ and pages elsewhere) and documented as problem+json."""

    ERROR_SCHEMA = problems.ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def _register_error_handlers(self):
        """flask-smorest would answer every HTTPException of the whole app in JSON."""

    def _register_responses(self):
        import http

        from flask_smorest.spec import prepare_response  # noqa: PLC0415 (its private helper)

        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as problem details", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_app(app: Flask) -> None:
    from odop_bazaar.api import docs

    app.config.setdefault("API_TITLE", "ODOP Bazaar API")
    app.config.setdefault("API_VERSION", "1.0")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", VERSION_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": docs.DESCRIPTION},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {SECURITY_SCHEME: {
            "type": "http", "scheme": "bearer",
            "description": "A personal access token made on your account page"}}},
    })
    api = OdopApi(app)  # one per app: its OpenAPI document is built from this app's routes
    api.register_converter(IdConverter, lambda converter: {
        "type": "integer", "minimum": converter.min, "maximum": converter.max})
    for blueprint in BLUEPRINTS():
        api.register_blueprint(blueprint)
    docs.init_app(app)


def BLUEPRINTS() -> tuple:  # noqa: N802 (a constant, computed late to keep imports light)
    """Every API blueprint, in the order the documentation lists them."""
    from odop_bazaar.api import (
        account,
        buyer_orders,
        catalogue,
        catalogue_listings,
        seller_listings,
        seller_money,
        seller_orders,
        seller_returns,
        staff_review,
    )

    return (catalogue.blp, catalogue_listings.blp, account.blp, seller_listings.blp,
            seller_orders.blp, seller_returns.blp, seller_money.blp, buyer_orders.blp,
            staff_review.blp)
