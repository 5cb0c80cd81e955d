"""What a buyer page costs when it is in no cache, in process: each URL is asked for once.

    .venv/bin/python bench/cold_pages.py [--n 200] [--pages product,district,...] [--wall]
        [--hindi] [--profile product]

Uses the database of the environment (ODOP_INSTANCE_PATH or DATABASE_URL, filled with
`flask bench-data`). Random products, districts and searches (one and two words, filters,
pages 1-3; English words, Hindi names and glossary words, and English words with a letter
dropped or doubled, which find nothing until spelling.py corrects them) are each requested
once, so the page's own part is never cached; the site header and footer are warmed first,
as they are for every real request. Beside them, "ordinary" is a plain Flask-SQLAlchemy detail
page of the same listings (db.get_or_404, lazy relationships, a
small template) registered on the same app: the yardstick the issue names.

Per page: median and p90 milliseconds (CPU time of this process by default, which the other
work on a shared machine hardly disturbs; --wall for elapsed time, which includes PostgreSQL's
own work), SQL statements, lazy loads and gettext calls per request.
"""

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_babel import support  # noqa: E402
from sqlalchemy import event, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from odop_bazaar import create_app  # noqa: E402
from odop_bazaar.extensions import cache, db  # noqa: E402
from odop_bazaar.models.catalogue import Listing  # noqa: E402
from odop_bazaar.models.shop import ShopListing  # noqa: E402
from odop_bazaar.services.catalogue import word_forms  # noqa: E402

WORDS = ("silk", "saree", "handwoven", "red", "indigo", "mango", "brass", "pottery", "toy",
         "rice", "carpet", "shawl", "tea", "spice", "wood", "jute", "honey", "bamboo", "khadi",
         "organic", "festive", "heritage", "fine", "classic", "teal", "maroon")
FILTERS = ("", "&sort=price_asc", "&gi=y", "&state=9", "&sector=Handloom",
           "&sort=newest&in_stock=y")
ORDINARY = (
    "<!doctype html><title>{{ l.live_content.title }}</title><h1>{{ l.live_content.title }}</h1>"
    "<p>{{ l.price_paise }}</p><p>{{ l.live_content.description }}</p>"
    "<p>{{ l.seller.display_name }}, {{ l.seller.district.name }}, {{ l.seller.state.name }}</p>"
    "<p>{{ l.live_content.odop_product.name }}, {{ l.live_content.odop_product.district.name }}"
    "</p>{% for p in l.live_content.photos %}<img src='/media/{{ p.digest }}'>{% endfor %}")


def add_ordinary_page(app) -> None:
    template = app.jinja_env.from_string(ORDINARY)

    @app.get("/ordinary/<int:listing_id>")
    def ordinary(listing_id):
        return template.render(l=db.get_or_404(Listing, listing_id))


def addresses(app, kind: str, n: int, rng: random.Random) -> list[str]:
    with app.app_context():
        ids = list(db.session.scalars(select(ShopListing.listing_id)))
        districts = sorted(set(db.session.scalars(select(ShopListing.district_lgd_code))))
        states = sorted(set(db.session.scalars(select(ShopListing.state_lgd_code))))
    if kind in ("product", "ordinary"):
        return [f"/{'products' if kind == 'product' else 'ordinary'}/{listing_id}"
                for listing_id in rng.sample(ids, min(n, len(ids)))]
    if kind == "district":
        return [f"/districts/{code}" for code in rng.sample(districts, min(n, len(districts)))]
    if kind == "state":
        return [f"/states/{code}" for code in states][:n]
    if kind == "home":
        return ["/"] * n
    pool = {"search": list(WORDS), "search-hindi": hindi_words(app),
            "search-misspelt": list(WORDS)}[kind]
    searches: set[str] = set()
    while len(searches) < n:
        chosen = [rng.choice(pool) for _ in range(1 if rng.random() < 0.5 else 2)]
        if kind == "search-misspelt":  # one letter dropped or doubled, as thumbs do
            at = rng.randrange(1, len(chosen[0]) - 1)
            chosen[0] = chosen[0][:at] + (chosen[0][at] * 2 if rng.random() < 0.5 else "") + \
                chosen[0][at + 1:]
        words = quote_plus(" ".join(chosen))
        searches.add(f"/search?q={words}{rng.choice(FILTERS)}&page={rng.choice((1, 1, 2, 3))}")
    return sorted(searches)


def hindi_words(app) -> list[str]:
    """What a Hindi reader types: the Hindi names of the shop's districts and crafts, and the
    glossary's Hindi words (चूड़ी, साड़ी, पीतल …)."""
    with app.app_context():
        names = db.session.execute(select(ShopListing.district_name_hi,
                                          ShopListing.product_name_hi).distinct()).all()
    words = {word for row in names for name in row if name for word in name.split()}
    words |= {word for translations in word_forms.glossary().values()
              for word in translations if word_forms.is_devanagari(word)}
    return sorted(words)


class Counters:
    """SQL statements, lazy loads and gettext calls since the last take()."""

    def __init__(self, app):
        self.values = [0, 0, 0]
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count(0))
        event.listen(Session, "do_orm_execute", self._lazy)
        for cls in (support.Translations, support.NullTranslations):
            for name in ("ugettext", "ungettext"):
                setattr(cls, name, self._wrap(getattr(cls, name)))

    def _count(self, index):
        def counted(*args, **kwargs):
            self.values[index] += 1
        return counted

    def _lazy(self, state):
        if state.is_relationship_load and state.lazy_loaded_from is not None:
            self.values[1] += 1

    def _wrap(self, original):
        def counted(*args, **kwargs):
            self.values[2] += 1
            return original(*args, **kwargs)
        return counted

    def take(self) -> tuple[int, int, int]:
        values, self.values = tuple(self.values), [0, 0, 0]
        return values


def measure(app, client, counters, urls, prefix, clock, profiler=None):
    times, counts = [], []
    for url in urls:
        if url == "/":  # one address: drop its cached part each time
            with app.app_context():
                cache.clear()
            client.get(prefix + "/products/0")  # the header and footer again
        counters.take()
        if profiler:
            profiler.enable()
        start = clock()
        response = client.get(prefix + url)
        elapsed = clock() - start
        if profiler:
            profiler.disable()
        if response.status_code not in (200, 301):
            raise SystemExit(f"{url}: {response.status_code}")
        times.append(elapsed * 1000)
        counts.append(counters.take())
    return times, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--pages", default="ordinary,product,district,state,search,"
                                            "search-hindi,search-misspelt,home")
    parser.add_argument("--wall", action="store_true", help="elapsed time, not CPU time")
    parser.add_argument("--hindi", action="store_true")
    parser.add_argument("--profile", default="", help="cProfile this kind of page")
    args = parser.parse_args()
    app = create_app()
    app.config["SHOP_GENERATION_TTL"] = 3600  # as in production: not read on every request
    add_ordinary_page(app)
    client = app.test_client()
    prefix = "/hi" if args.hindi else ""  # the language is the address's (odop_bazaar/i18n.py)
    counters = Counters(app)
    # Repeatable choice of addresses; nothing here is a secret.
    rng = random.Random(1)  # nosec B311
    for url in ("/", "/products/0", "/districts/0", "/search?q=x", "/states/0"):
        client.get(prefix + url)  # header and footer cached, as for real requests
    clock = time.perf_counter if args.wall else time.process_time
    for kind in args.pages.split(","):
        profiler = cProfile.Profile() if kind == args.profile else None
        times, counts = measure(app, client, counters, addresses(app, kind, args.n, rng),
                                prefix, clock, profiler)
        spread = [f"{min(column)}-{max(column)}" for column in zip(*counts, strict=True)]
        print(f"{kind:15s} n={len(times):4d}  median {statistics.median(times):6.2f} ms  "
              f"p90 {sorted(times)[int(len(times) * 0.9)]:6.2f} ms  statements {spread[0]}  "
              f"lazy loads {spread[1]}  gettext {spread[2]}")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
