"""The URL lists the load is spread over, made from the database the way shoppers find pages.

Products, states and districts come from the app's own sitemap (so the addresses are exactly
the ones search engines send people to, slug included); searches are one or two words taken
from listing titles, ODOP product names and district names, or (on the Hindi pages) the Hindi
names of districts and products, some English words with a letter dropped or doubled (which
find nothing until spelling.py corrects them), some with filters (sector, state, price, in
stock, sort) and on pages 1 to 3. Every list is written one path a line, for
bench/random_paths.lua.

    .venv/bin/python -m bench.urls --database sqlite:////tmp/odop-bench/1k.sqlite3 --out DIR
"""

import argparse
import os
import random
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

LOC = re.compile(r"<loc>([^<]+)</loc>")
WORD = re.compile(r"[a-z]{3,}")
# What a word from a slug, a product or a district may not be: it finds everything or nothing.
STOP_WORDS = {"and", "the", "with", "for", "from", "product"}
# Share of the mixed workload, as the issue gives it.
MIX = {"products": 0.60, "places": 0.20, "searches": 0.15, "home": 0.05}


def sitemap_paths(client) -> list[str]:
    """Every path in the app's sitemap (following a sitemap index)."""
    body = client.get("/sitemap.xml").get_data(as_text=True)
    paths = [urlsplit(loc).path for loc in LOC.findall(body)]
    if "<sitemapindex" in body:
        return [path for file_path in paths
                for path in sitemap_paths_of(client, file_path)]
    return paths


def sitemap_paths_of(client, path: str) -> list[str]:
    body = client.get(path).get_data(as_text=True)
    return [urlsplit(loc).path for loc in LOC.findall(body)]


def search_words(product_paths: list[str]) -> dict[str, list[str]]:
    """Words people would type: from listing titles (their slugs), products and districts."""
    from odop_bazaar.extensions import db
    from odop_bazaar.models import District, OdopProduct

    def words(texts):
        found = {w for text in texts for w in WORD.findall(text.lower())}
        return sorted(found - STOP_WORDS)

    hindi_names = [*db.session.scalars(db.select(District.name_hi)),
                   *db.session.scalars(db.select(OdopProduct.name_hi))]

    slugs = [path.split("-", 1)[1] for path in product_paths if "-" in path]
    return {
        "titles": words(slug.replace("-", " ") for slug in slugs),
        "products": words(db.session.scalars(db.select(OdopProduct.name))),
        "districts": words(db.session.scalars(db.select(District.name))),
        "hindi": sorted({word for name in hindi_names if name for word in name.split()
                         if len(word) > 1}),
    }


def hot_paths(product_paths: list[str]) -> dict[str, str]:
    """The single URLs bench/load.sh measured: the newest product, its district, two searches."""
    from odop_bazaar.extensions import db
    from odop_bazaar.models.catalogue import Listing

    product = max(product_paths, key=lambda path: int(path.split("/")[2].split("-")[0]))
    listing = db.session.get(Listing, int(product.split("/")[2].split("-")[0]))
    return {"home": "/", "district": f"/districts/{listing.seller.district_lgd_code}",
            "search": "/search?q=handwoven",
            "search-50": "/search?q=handwoven&sort=price_asc&in_stock=y&page=50",
            "product": product}


def one_search(rng: random.Random, words: dict[str, list[str]], states: list[str],
               sectors: list[str], sorts: list[str]) -> str:
    """A search as a shopper types it: one or two words, sometimes filtered, pages 1 to 3."""
    hindi = bool(words.get("hindi")) and rng.random() < 0.15

    def word():
        if hindi:
            return rng.choice(words["hindi"])
        pool = rng.choices(("titles", "products", "districts"), weights=(5, 3, 2))[0]
        typed = rng.choice(words[pool] or words["titles"])
        if rng.random() < 0.1 and len(typed) > 3:  # a letter dropped or doubled
            at = rng.randrange(1, len(typed) - 1)
            typed = typed[:at] + (typed[at] * 2 if rng.random() < 0.5 else "") + typed[at + 1:]
        return typed

    params = {"q": word() if rng.random() < 0.6 else f"{word()} {word()}"}
    if rng.random() < 0.15:
        params["sector"] = rng.choice(sectors)
    if rng.random() < 0.15:
        params["state"] = rng.choice(states)
    if rng.random() < 0.15:
        low, high = sorted(rng.sample((100, 250, 500, 1000, 2000, 5000, 10000), 2))
        params.update(rng.choice(({"min_price": low}, {"max_price": high},
                                  {"min_price": low, "max_price": high})))
    if rng.random() < 0.2:
        params["in_stock"] = "y"
    if rng.random() < 0.3:
        params["sort"] = rng.choice([s for s in sorts if s != "relevance"])
    page = rng.choices((1, 2, 3), weights=(7, 2, 1))[0]
    if page > 1:
        params["page"] = page
    return ("/hi" if hindi else "") + "/search?" + urlencode(params)


def api_paths(product_paths: list[str], searches: list[str]) -> dict[str, list[str]]:
    """The same products and searches asked of the JSON API: /api/v1/listings/<id>, and each
    search with its filters as the API names them (prices in paise, 24 a page like the search
    page). A search's pages 2 and 3 become its first page: the API pages by cursor, which a
    list of addresses made in advance cannot hold."""
    details = [f"/api/v1/listings/{path.split('/')[2].split('-')[0]}" for path in product_paths]
    found = set()
    for search in searches:
        params = dict(parse_qsl(urlsplit(search).query))
        params.pop("page", None)
        for name in ("min_price", "max_price"):
            if name in params:
                params[f"{name}_paise"] = int(params.pop(name)) * 100
        if params.pop("in_stock", None):
            params["in_stock"] = "true"
        found.add("/api/v1/listings?" + urlencode({**params, "limit": 24}))
    return {"api-listings": details, "api-searches": sorted(found)}


def build(out: Path, *, products: int = 20_000, searches: int = 5_000, seed: int = 16) -> dict:
    """Write products.txt, places.txt, searches.txt, home.txt, mixed.txt, the one-URL
    hot-*.txt files and the API's api-listings.txt and api-searches.txt into out; return how
    many distinct paths each page list holds."""
    from odop_bazaar import create_app
    from odop_bazaar.models.reference import SECTORS
    from odop_bazaar.services.catalogue.search import SORTS

    rng = random.Random(seed)  # nosec B311 - a repeatable sample, not a secret
    app = create_app()
    with app.app_context():
        paths = sitemap_paths(app.test_client())
        product_paths = [p for p in paths if p.startswith("/products/")]
        hot = hot_paths(product_paths)
        if len(product_paths) > products:
            product_paths = rng.sample(product_paths, products)
        places = [p for p in paths if p.startswith(("/districts/", "/states/"))]
        states = [p.rsplit("/", 1)[1] for p in places if p.startswith("/states/")]
        words = search_words(product_paths)
        found: set[str] = set()
        while len(found) < searches:
            found.add(one_search(rng, words, states, [s.value for s in SECTORS], list(SORTS)))
    lists = {"products": product_paths, "places": places, "searches": sorted(found),
             "home": ["/"]}
    out.mkdir(parents=True, exist_ok=True)
    for name, items in lists.items():
        (out / f"{name}.txt").write_text("\n".join(items) + "\n")
    for name, path in hot.items():
        (out / f"hot-{name}.txt").write_text(path + "\n")
    for name, items in api_paths(product_paths, lists["searches"]).items():
        (out / f"{name}.txt").write_text("\n".join(items) + "\n")
    (out / "mixed.txt").write_text("\n".join(mixed(lists, rng)) + "\n")
    return {name: len(items) for name, items in lists.items()}


def mixed(lists: dict[str, list[str]], rng: random.Random) -> list[str]:
    """The lists to the mix's shares, long enough that every path of every list is in it."""
    total = max(len(items) / MIX[name] for name, items in lists.items())
    lines = []
    for name, items in lists.items():
        wanted = round(total * MIX[name])
        lines += items * (wanted // len(items)) + rng.sample(items, wanted % len(items))
    rng.shuffle(lines)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--searches", type=int, default=5_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    print(build(args.out, products=args.products, searches=args.searches))


if __name__ == "__main__":
    main()
