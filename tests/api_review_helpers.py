"""Tokens for the API tests of buyers' orders and staff review: a person's token with the
scopes their role may give, and the header that carries it."""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import User
from odop_bazaar.services.accounts import api_tokens


def token_for(app, email: str, scopes: list[str] | None = None) -> dict:
    """The Authorization header of a fresh token of `email` (every scope their role may give,
    unless `scopes` says which)."""
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if scopes is None:
            scopes = [scope.value for scope in api_tokens.scopes_for(user)]
        secret = api_tokens.create_token(user, name="tests", scopes=scopes,
                                         expires_in_days=30).secret
    return {"Authorization": f"Bearer {secret}"}
