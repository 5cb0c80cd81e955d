"""Rendered parts of buyer pages, kept until the shop changes.

A buyer page (home, state, district, sector, search, product) is the site's layout around a
part that is the same for every visitor in one language. That part — its title, description,
head, breadcrumbs and content blocks, rendered from the page's own template — is cached under
a key that includes the shop generation (models/shop.py), so any change to what buyers may see
makes every older part unreachable at once. The layout (the language switch's links to this
page, the visitor's menu, flashed messages) is put around it on every request. Nothing in a
cached part or the chrome is the visitor's own: no CSRF token (forms on these pages are checked
by origin, same_origin.py), so viewing a buyer page sets no cookie and HTTP caches may keep it.

Each worker checks the generation at most every SHOP_GENERATION_TTL seconds (1 by default), so a
change made through another worker shows within that time; a change made through this worker
shows at once. The cache is Flask-Caching: in-process by default, or Redis (CACHE_TYPE,
CACHE_REDIS_URL) to share rendered parts between workers.
"""

import time
from collections.abc import Callable

from flask import current_app, render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from odop_bazaar import i18n
from odop_bazaar.extensions import cache, db
from odop_bazaar.models.shop import ShopState

PARTS = ("title", "description", "head", "breadcrumbs", "content")
# The chrome is cached for every page: the language switch's links to this page are put in here.
SWITCH_PLACEHOLDER = "__odop_page_in_{}__"
_CHECKED = "page_cache.generation"
_RECENT = "page_cache.recent"


def shop_generation() -> int:
    """The current shop generation, read from the database at most every TTL seconds."""
    holder = current_app.extensions.setdefault(_CHECKED, {})
    now = time.monotonic()
    if now - holder.get("at", float("-inf")) < current_app.config["SHOP_GENERATION_TTL"]:
        return holder["value"]
    value = db.session.scalar(select(ShopState.generation).where(ShopState.id == 1)) or 0
    holder.update(at=now, value=value)
    return value


def recent(name: str, load: Callable[[], object]):
    """A small value (a listing's stock) read at most every SHOP_GENERATION_TTL seconds per
    worker, like the generation itself; None values are not remembered."""
    memo = current_app.extensions.setdefault(_RECENT, {})
    now = time.monotonic()
    held = memo.get(name)
    if held is not None and now - held[0] < current_app.config["SHOP_GENERATION_TTL"]:
        return held[1]
    value = load()
    if len(memo) > 50_000:  # a crawler walking every product: start again rather than grow
        memo.clear()
    if value is not None:
        memo[name] = (now, value)
    return value


def forget_generation() -> None:
    """This worker just changed the shop: read the generation again on the next request."""
    if current_app:
        current_app.extensions.pop(_CHECKED, None)
        current_app.extensions.pop(_RECENT, None)


def key(*parts) -> str:
    """A cache key for a rendered part: it belongs to this shop generation and language."""
    return ":".join(map(str, ("page", shop_generation(), get_locale(), *parts)))


def data_key(*parts) -> str:
    """A cache key for data that is the same in every language."""
    return ":".join(map(str, ("data", shop_generation(), *parts)))


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
    # Every key carries the code version (cache_backends.py), so a deploy renders it anew.
    cache_key = f"chrome:{part}:{get_locale()}:{role}"
    html = cache.get(cache_key)
    if html is None:
        html = render_template(f"_site_{part}.html", switch_placeholder=SWITCH_PLACEHOLDER)
        cache.set(cache_key, html)
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
