"""Who is asking: a personal access token in `Authorization: Bearer <token>`, never a cookie.

`token_required(scope)` guards a view: no token or an unusable one is 401, a token without the
scope (or a person whose role the view is not for) is 403. The view reads the person with
`api_user()`. A cookie session is ignored under /api/: a page's session must not let another
site's script act through the API.
"""

from copy import deepcopy
from functools import wraps

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_smorest.utils import deepupdate

from odop_bazaar.api.problems import ApiProblem
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.models.api_access import ApiScope, ApiToken
from odop_bazaar.services.accounts import api_tokens

SECURITY_SCHEME = "personalAccessToken"


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def api_token() -> ApiToken | None:
    """The request's token, checked once per request; None when it carries none.

    Raises:
        ApiProblem: 401 for a token that is unknown, expired, revoked or whose person is
            suspended.
    """
    if "api_token" not in g:
        secret = _bearer_secret()
        if secret is None:
            g.api_token = None
        else:
            try:
                g.api_token = api_tokens.authenticate(secret)
            except api_tokens.TokenRefused as error:
                raise ApiProblem(401, str(error)) from None
    return g.api_token


def api_user() -> User:
    """The person behind the token of a view guarded by token_required."""
    return g.api_token.user


def rate_limit_key() -> str:
    """Per token where there is one (a partner behind one address has many), else per address."""
    secret = _bearer_secret()
    if secret:
        return "token:" + api_tokens.digest(secret)[:32]
    return "address:" + (request.remote_addr or "unknown")


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def token_required(scope: ApiScope, *roles: Role):
    """Guard a view: a usable token with `scope`, held by a person with one of `roles`."""
    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            token = api_token()
            if token is None:
                raise ApiProblem(401)
            if not token.has_scope(scope):
                raise ApiProblem(403, _l("This token does not have the “%(scope)s” permission.",
                                         scope=scope.value))
            if roles and not token.user.has_role(*roles):
                raise ApiProblem(403, _l("This is for %(roles)s accounts.",
                                         roles=", ".join(role.value for role in roles)))
            return view(*args, **kwargs)

        # What the OpenAPI document says about it, the way flask-smorest's Blueprint.doc does.
        guarded._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        guarded._apidoc["manual_doc"] = deepupdate(
            deepcopy(guarded._apidoc.get("manual_doc", {})),
            {"security": [{SECURITY_SCHEME: [scope.value]}],
             "responses": {"401": "UNAUTHORIZED", "403": "FORBIDDEN"}})
        return guarded
    return decorator
