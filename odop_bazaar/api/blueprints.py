"""How an API blueprint is made: exempt from CSRF (a token, not a cookie, says who asks),
limited per token, and varying by language and token. Done once, where the blueprint is
defined, since every app built from this code (tests build many) registers the same object."""

import json

from flask import request
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from odop_bazaar.api.auth import rate_limit, rate_limit_key
from odop_bazaar.api.problems import ApiProblem
from odop_bazaar.extensions import csrf, limiter

VERSION_PREFIX = "/api/v1"


def _vary(response):
    # A cache must not give a Hindi answer to an English client, nor one token's to another.
    response.vary.update(("Accept-Language", "Authorization"))
    return response


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def refuse_unreadable_json():
    """A JSON body is read once here: nesting deep enough to exhaust Python's stack, and NUL
    characters (which PostgreSQL text cannot hold), are a 400, not a crash further on. A body
    sent in chunks has no Content-Length, so the body itself says whether there is one."""
    if not request.is_json:
        return
    data = request.get_data(cache=True)
    if not data:
        return
    try:
        body = json.loads(data)
    except RecursionError:
        raise ApiProblem(400, _l("The JSON is nested too deeply.")) from None
    except ValueError:
        return  # not JSON at all: webargs answers that with its own 400
    if _has_nul(body):
        raise ApiProblem(400, _l("Text may not contain NUL characters (\\u0000)."))


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    blueprint = Blueprint(name, import_name, url_prefix=VERSION_PREFIX, description=description)
    csrf.exempt(blueprint)
    limiter.limit(rate_limit, key_func=rate_limit_key)(blueprint)
    blueprint.before_request(refuse_unreadable_json)
    blueprint.after_request(_vary)
    return blueprint
