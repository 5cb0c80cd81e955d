"""How many cached buyer pages one change makes the app build again, by kind of change.

With the single shop generation every change dropped every cached page; with the change log
(page_versions.py) a change rebuilds only the pages that show it. This warms a realistic set of
pages (home, every state, district and sector, N random product pages), makes changes through
the app's services as sellers and buyers do, and after each one requests the whole set again,
counting the pages whose part was rendered again. Searches are left out: they follow the shop a
few seconds late by design (SEARCH_STALE_SECONDS).

    ODOP_INSTANCE_PATH=/tmp/bench-1k .venv/bin/python bench/cache_survival.py [--products N]

on a database filled as for load.sh (db upgrade, import-odop, bench-data).
"""

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from odop_bazaar import create_app, page_cache  # noqa: E402
from odop_bazaar.extensions import db  # noqa: E402
from odop_bazaar.models import District, Listing, State  # noqa: E402
from odop_bazaar.models.reference import SECTORS  # noqa: E402
from odop_bazaar.models.shop import ShopListing  # noqa: E402
from odop_bazaar.services import catalogue  # noqa: E402
from odop_bazaar.services.catalogue import stock, storefront  # noqa: E402


def pages(app, products: int, rng: random.Random) -> list[str]:
    with app.app_context():
        listed = db.session.execute(select(ShopListing.listing_id, ShopListing.title)).all()
        paths = ["/"] + [f"/states/{code}" for code in db.session.scalars(select(State.lgd_code))]
        paths += [f"/districts/{code}" for code in db.session.scalars(select(District.lgd_code))]
        paths += [f"/sectors/{term.slug}" for term in SECTORS]
        paths += [f"/products/{listing_id}-{storefront.slugify(title)}"
                  for listing_id, title in rng.sample(listed, min(products, len(listed)))]
    return paths


def price_and_stock(app, listing_id: int, **changes) -> None:
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        data = {"price": f"{item.price_paise / 100:.2f}", "mrp": f"{item.mrp_paise / 100:.2f}",
                "stock": str(item.stock), "made_to_order": item.made_to_order,
                "lead_time_days": str(item.lead_time_days or "")}
        catalogue.update_price_and_stock(item.seller, item, {**data, **changes})


def sale(app, listing_id: int) -> None:
    with app.test_request_context():
        stock.reserve({listing_id: 1})
        db.session.commit()


def unpublish(app, listing_id: int) -> None:
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        catalogue.unpublish_listing(item.seller, item)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=3, help="of each kind")
    args = parser.parse_args()
    # Every request reads the log, and the cache holds every page: what is built again is
    # what the change made stale, not what the cache had no room for.
    app = create_app(SHOP_CHANGES_POLL_SECONDS=0, CACHE_THRESHOLD=len(SECTORS) + 5000
                     + args.products)
    rng = random.Random(16)  # nosec B311: repeatable choice of pages, nothing secret
    rendered = [0]
    real = page_cache.render_parts

    def counting(*args, **kwargs):
        rendered[0] += 1
        return real(*args, **kwargs)

    page_cache.render_parts = counting
    client = app.test_client()
    paths = pages(app, args.products, rng)
    for path in paths:
        client.get(path)

    def rebuilt() -> str:
        """The pages built again, by kind: "district, state, product"."""
        kinds = []
        for path in paths:
            before = rendered[0]
            client.get(path)
            if rendered[0] > before:
                kinds.append(path.split("/")[1] or "home")
        return ", ".join(kinds) or "none"

    shown = {int(path.split("/")[2].split("-")[0]) for path in paths
             if path.startswith("/products/")}
    with app.app_context():  # listings whose product page is among the cached pages
        in_stock = sorted(shown.intersection(db.session.scalars(select(Listing.id).where(
            Listing.stock > 3, Listing.made_to_order.is_(False)))))
    kinds = {
        "price change": lambda listing_id: price_and_stock(
            app, listing_id, price=str(rng.randint(100, 900))),
        "sale, still in stock": lambda listing_id: sale(app, listing_id),
        "sell-out": lambda listing_id: price_and_stock(app, listing_id, stock="0"),
        "unpublish": lambda listing_id: unpublish(app, listing_id),
    }
    print(f"{len(paths)} cached pages: home, {len(paths) - 1 - args.products - len(SECTORS)} "
          f"states and districts, {len(SECTORS)} sectors, {args.products} products")
    print(f"{'change':24} pages built again, one change after another (of {len(paths)})")
    for name, make in kinds.items():
        counts = []
        for listing_id in rng.sample(in_stock, args.changes):
            in_stock.remove(listing_id)
            make(listing_id)
            counts.append(rebuilt())
        print(f"{name:24} {' | '.join(counts)}")


if __name__ == "__main__":
    main()
