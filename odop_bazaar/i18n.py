"""Which language a page is shown in: the account's choice, then the session's, then the browser's."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user

SESSION_KEY = "locale"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and mail sent outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or "en"


def remember_locale(locale: str) -> None:
    """Keep a visitor's choice in the session (accounts keep theirs on the User)."""
    session[SESSION_KEY] = locale
    session.permanent = True  # remembered after the browser closes
