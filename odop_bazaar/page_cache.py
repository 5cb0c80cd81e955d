"""Rendered parts of buyer pages, kept until what they show changes.

A buyer page (home, state, district, sector, search, product) is the site's layout around a
part that is the same for every visitor in one language. That part — its title, description,
head, breadcrumbs and content blocks, rendered from the page's own template — is cached under
a key that names the topic the page shows (models/shop.py: Topic) and that topic's version
(page_versions.py), so a change makes stale exactly the pages that show it: its product page,
its district's, state's and sector's, the home page when it is among the newest; searches
within a few seconds. The layout (language switch with its CSRF token, the visitor's menu,
flashed messages) is rendered fresh on every request.

Each worker reads the shop's change log at most every SHOP_CHANGES_POLL_SECONDS (1 by default),
so a change made through another worker shows within that time; a change made through this
worker shows at once. The cache is Flask-Caching: in-process by default, or Redis (CACHE_TYPE,
CACHE_REDIS_URL) to share rendered parts between workers.
"""

from collections.abc import Callable
from pathlib import Path

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from odop_bazaar import page_versions
from odop_bazaar.extensions import cache

PARTS = ("title", "description", "head", "breadcrumbs", "content")
# A cached part is the same for every visitor, so a form in it carries this in place of the
# visitor's CSRF token; render_page puts the real one in.
CSRF_PLACEHOLDER = "__odop_csrf_token__"
NEXT_PLACEHOLDER = "__odop_next__"
# A shared cache (Redis) outlives a deploy: the chrome's key changes with the code and catalogue.
_TEMPLATES_VERSION = str(int(max(
    path.stat().st_mtime for path in (Path(__file__).resolve().parent.parent / "templates")
    .glob("_site_*.html")) + (Path(__file__).resolve().parent / "translations" / "hi"
                              / "LC_MESSAGES" / "messages.mo").stat().st_mtime))


def key(topic: str, *parts) -> str:
    """A cache key for a rendered part of a page that shows `topic`, in this language."""
    return ":".join(map(str, ("page", get_locale(), topic, page_versions.version(topic), *parts)))


def data_key(topic: str, *parts) -> str:
    """A cache key for data behind pages that show `topic`, the same in every language."""
    return ":".join(map(str, ("data", topic, page_versions.version(topic), *parts)))


def cached(cache_key: str, build: Callable[[], object]):
    """The value cached under cache_key, or build() cached there for next time."""
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value)
    return value


def render_parts(template_name: str, **context) -> dict[str, Markup]:
    """The page template's own blocks, rendered; the layout it extends is left out."""
    app = current_app
    template = app.jinja_env.get_template(template_name)
    context.setdefault("cached_csrf_token", CSRF_PLACEHOLDER)
    app.update_template_context(context)
    jinja_context = template.new_context(context)
    # The blocks come out of autoescaping Jinja: everything a person typed is escaped already.
    blocks = {name: "".join(template.blocks[name](jinja_context))
              for name in PARTS if name in template.blocks}
    return {name: Markup(html) for name, html in blocks.items()}  # nosec B704


def render_page(parts: dict[str, Markup], status: int = 200):
    """The site's layout around cached parts (with this visitor's CSRF token in their forms)."""
    content = parts.get("content", "")
    if CSRF_PLACEHOLDER in content:
        # Escaped template output with a signed, URL-safe token put in: nothing of the visitor's.
        token = generate_csrf()
        parts = {**parts, "content": Markup(content.replace(CSRF_PLACEHOLDER, token))}  # nosec B704
    return render_template("cached_page.html", parts=parts), status


def site_chrome(part: str) -> Markup:
    """The site header or footer, rendered once per language and kind of visitor.

    The menu depends only on whether someone is logged in and their role; the language form's
    CSRF token and return address are put in per request. Translating and building the menu on
    every request was a third of a cached buyer page's cost.
    """
    role = current_user.role if current_user.is_authenticated else "visitor"
    cache_key = f"chrome:{_TEMPLATES_VERSION}:{part}:{get_locale()}:{role}"
    html = cache.get(cache_key)
    if html is None:
        html = render_template(f"_site_{part}.html", csrf_placeholder=CSRF_PLACEHOLDER,
                               next_placeholder=NEXT_PLACEHOLDER)
        cache.set(cache_key, html)
    if CSRF_PLACEHOLDER in html:
        path = request.full_path if request.query_string else request.path
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf()).replace(
            NEXT_PLACEHOLDER, str(escape(path)))
    # Autoescaped template output; the two values put in are a URL-safe token and an escaped path.
    return Markup(html)  # nosec B704


def cached_page(cache_key: str, template_name: str, context: Callable[[], dict]):
    """A page whose own part is cached; context() is called only when it is not."""
    parts = cached(cache_key, lambda: render_parts(template_name, **context()))
    return render_page(parts)
