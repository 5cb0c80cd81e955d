"""Rendered parts of buyer pages, kept until what they show changes.

A buyer page (home, state, district, sector, search, product) is the site's layout around a
part that is the same for every visitor in one language. That part — its title, description,
head, breadcrumbs and content blocks, rendered from the page's own template — is cached under
a key that names the topic the page shows (models/shop.py: Topic) and that topic's version
(page_versions.py), so a change makes stale exactly the pages that show it: its product page,
its district's, state's and sector's, the home page when it is among the newest; searches
within a few seconds. The layout (the language switch's links to this page, the visitor's menu,
flashed messages) is put around it on every request. Nothing in a cached part or the chrome is
the visitor's own: no CSRF token (forms on these pages are checked by origin, same_origin.py), so
viewing a buyer page sets no cookie and HTTP caches may keep it.

Each worker reads the shop's change log at most every SHOP_CHANGES_POLL_SECONDS (1 by default),
so a change made through another worker shows within that time; a change made through this
worker shows at once. The cache is Flask-Caching: in-process by default, or Redis (CACHE_TYPE,
CACHE_REDIS_URL) to share rendered parts between workers.
"""

from collections.abc import Callable

from flask import current_app, render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from odop_bazaar import i18n, page_versions
from odop_bazaar.extensions import cache

PARTS = ("title", "description", "head", "breadcrumbs", "content")
# The chrome is cached for every page: the language switch's links to this page are put in here.
SWITCH_PLACEHOLDER = "__odop_page_in_{}__"
_CHROME = "page_cache.chrome"


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
    app.update_template_context(context)
    jinja_context = template.new_context(context)
    # The blocks come out of autoescaping Jinja: everything a person typed is escaped already.
    blocks = {name: "".join(template.blocks[name](jinja_context))
              for name in PARTS if name in template.blocks}
    return {name: Markup(html) for name, html in blocks.items()}  # nosec B704


def render_page(parts: dict[str, Markup], status: int = 200):
    """The site's layout around cached parts."""
    return render_template("cached_page.html", parts=parts), status


def site_chrome(part: str) -> Markup:
    """The site header or footer, rendered once per language and kind of visitor.

    The menu depends only on whether someone is logged in and their role; the language
    switch's links to this page in each language are put in per request. Translating and
    building the menu on every request was a third of a cached buyer page's cost.
    """
    role = current_user.role if current_user.is_authenticated else "visitor"
    # Kept in this process, not in the shared cache: there are a dozen of them at most, they
    # change only with the code, and two Redis reads on every page cost more than they save.
    rendered = current_app.extensions.setdefault(_CHROME, {})
    html = rendered.get((part, str(get_locale()), role))
    if html is None:
        html = render_template(f"_site_{part}.html", switch_placeholder=SWITCH_PLACEHOLDER)
        rendered[(part, str(get_locale()), role)] = html
    for code in current_app.config["LANGUAGES"]:
        placeholder = SWITCH_PLACEHOLDER.format(code)
        if placeholder in html:
            html = html.replace(placeholder, str(escape(i18n.this_page_in(code))))
    # Autoescaped template output; what is put in is an escaped, percent-encoded path.
    return Markup(html)  # nosec B704


def cached_page(cache_key: str, template_name: str, context: Callable[[], dict]):
    """A page whose own part is cached; context() is called only when it is not."""
    parts = cached(cache_key, lambda: render_parts(template_name, **context()))
    return render_page(parts)
