"""Which language a page is shown in: the one its address names.

English pages live at /..., Hindi ones at /hi/... (`/hi` alone is the Hindi home). The address
alone decides, so a page is the same for everyone who opens its address: an HTTP cache may keep
it, and a Hindi page can be shared as a Hindi page. LanguagePrefix (WSGI middleware) moves a
leading /hi from PATH_INFO to SCRIPT_NAME and notes the language: the routes are the same in
every language, and url_for() keeps the prefix on every link of a Hindi page, so a Hindi
speaker stays in Hindi through login, cart, checkout and onboarding.

A signed-in person's own language (User.locale, chosen on the account page) is the language of
their emails and links in them, and of where they land after logging in at an English address.
Files that are the same in every language (static files, product photos) are linked without
the prefix, so a browser keeps one copy.
"""

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app, has_request_context, request
from werkzeug.sansio.utils import get_current_url
from werkzeug.urls import iri_to_uri

ENVIRON_LOCALE = "odop.locale"
ENVIRON_THIS_PAGE = "odop.this_page"  # this_page_in(), worked out once per request
ENVIRON_ROOT = "odop.root"  # SCRIPT_NAME as it was before the language prefix was moved in
DEFAULT = "en"
LANGUAGE_NEUTRAL = frozenset({"static", "public.media"})


class LanguagePrefix:
    """WSGI middleware: /hi/cart is the route /cart, in Hindi, with /hi kept for links."""

    def __init__(self, wsgi_app, languages):
        self.wsgi_app = wsgi_app
        self.prefixes = [(f"/{code}", code) for code in languages if code != DEFAULT]

    def __call__(self, environ, start_response):
        path, root = environ.get("PATH_INFO", ""), environ.get("SCRIPT_NAME", "")
        environ[ENVIRON_ROOT], environ[ENVIRON_LOCALE] = root, DEFAULT
        for prefix, code in self.prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                environ["SCRIPT_NAME"] = root + prefix
                environ["PATH_INFO"] = path[len(prefix):] or "/"
                environ[ENVIRON_LOCALE] = code
                break
        return self.wsgi_app(environ, start_response)


class LanguageAwareFlask(Flask):
    """Flask whose links to language-neutral files never carry a language prefix."""

    def url_for(self, endpoint, /, **values) -> str:
        url = super().url_for(endpoint, **values)
        if endpoint in LANGUAGE_NEUTRAL and page_language() != DEFAULT:
            return in_language(url, DEFAULT)
        return url


def init_app(app: Flask) -> None:
    app.wsgi_app = LanguagePrefix(app.wsgi_app, app.config["LANGUAGES"])


def page_language() -> str:
    """The language the current address names (English outside a request)."""
    if not has_request_context():
        return DEFAULT
    return request.environ.get(ENVIRON_LOCALE, DEFAULT)


def select_locale() -> str:
    """Flask-Babel's locale: the address's language (emails use force_locale(user.locale));
    the JSON API's is the request's Accept-Language, as an API client expects."""
    if has_request_context() and request.path.startswith("/api/"):
        return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or DEFAULT
    return page_language()


def _prefix(locale: str) -> str:
    return "" if locale == DEFAULT else f"/{locale}"


def _root() -> str:
    if has_request_context():
        return request.environ.get(ENVIRON_ROOT, request.script_root)
    return current_app.config["APPLICATION_ROOT"].rstrip("/")


def in_language(url: str, locale: str) -> str:
    """A link of this site (a path, or absolute) pointing at the same page in `locale`."""
    if locale not in current_app.config["LANGUAGES"]:
        locale = DEFAULT
    parts = urlsplit(url)
    root = _root()
    if not parts.path.startswith(root + "/"):
        return url  # not one of ours
    rest = parts.path[len(root):]
    for code in current_app.config["LANGUAGES"]:
        prefix = _prefix(code)
        if prefix and (rest == prefix or rest.startswith(prefix + "/")):
            rest = rest[len(prefix):] or "/"
            break
    return urlunsplit(parts._replace(path=root + _prefix(locale) + rest))


def this_page_in(locale: str, external: bool = False) -> str:
    """The current page (with its query string) in `locale`: the language switch, hreflang."""
    # Asked for five times a page (the switch and the hreflang links): worked out once each.
    found = request.environ.setdefault(ENVIRON_THIS_PAGE, {})
    if (locale, external) not in found:
        found[locale, external] = _this_page_in(locale, external)
    return found[locale, external]


def _this_page_in(locale: str, external: bool) -> str:
    host = current_app.config.get("SERVER_NAME") or request.host
    url = iri_to_uri(get_current_url(request.scheme, host, _root() + _prefix(locale),
                                     request.path, request.query_string))
    if external:
        return url
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def alternates() -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of this page in every language, and x-default (English)."""
    languages = current_app.config["LANGUAGES"]
    links = [(code, this_page_in(code, external=True)) for code in languages]
    return links + [("x-default", this_page_in(DEFAULT, external=True))]
