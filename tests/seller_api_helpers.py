"""Tokens and requests for tests of the sellers' API: a token made through the service, and a
JSON request that carries it."""

from odop_bazaar.services.accounts import api_tokens
from tests.returns_helpers import user


def token_for(app, email: str, scopes: list[str]) -> str:
    """A new 30-day token of the account with this email; its secret."""
    with app.test_request_context():
        return api_tokens.create_token(user(email), name="test token", scopes=scopes,
                                       expires_in_days=30).secret


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def ask(client, method: str, path: str, token: str, body=None):
    """A request with the token (and the JSON body, for a POST)."""
    return client.open(path, method=method, headers=bearer(token),
                       json=body if body is not None or method != "GET" else None)
