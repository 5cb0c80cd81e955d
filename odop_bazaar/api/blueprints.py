"""How an API blueprint is made: exempt from CSRF (a token, not a cookie, says who asks),
limited per token, and varying by language and token. Done once, where the blueprint is
defined, since every app built from this code (tests build many) registers the same object."""

from flask_smorest import Blueprint

from odop_bazaar.api.auth import rate_limit, rate_limit_key
from odop_bazaar.extensions import csrf, limiter

VERSION_PREFIX = "/api/v1"


def _vary(response):
    # A cache must not give a Hindi answer to an English client, nor one token's to another.
    response.vary.update(("Accept-Language", "Authorization"))
    return response


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    blueprint = Blueprint(name, import_name, url_prefix=VERSION_PREFIX, description=description)
    csrf.exempt(blueprint)
    limiter.limit(rate_limit, key_func=rate_limit_key)(blueprint)
    blueprint.after_request(_vary)
    return blueprint
