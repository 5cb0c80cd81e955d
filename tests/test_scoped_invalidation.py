"""A change makes stale exactly the cached pages that show it, on every worker.

A page served from the cache costs one statement (the change log, read on every request in
tests); a page built again costs more: that is how these tests tell them apart, beside what the
buyer reads on the page.
"""

import uuid

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from config import TestingConfig
from odop_bazaar import create_app, page_versions
from odop_bazaar.extensions import cache, db
from odop_bazaar.models import Listing
from odop_bazaar.models.shop import ShopChange
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services.catalogue import shop_changes, stock, storefront
from tests.conftest import BACKEND, statements
from tests.factories import listing, make_places, make_seller

PAGES = ("/", "/states/9", "/states/30", "/districts/187", "/districts/171", "/districts/551",
         "/sectors/handloom", "/sectors/handicraft", "/sectors/agriculture")


def marked_sold_out(page: str, title: str) -> bool:
    """Whether the page's card of this title says it is sold out (the card must be there)."""
    card = page[page.index(f">{title}</h"):]
    return "Sold out" in card[:card.index("</li>")]


@pytest.fixture
def shop(app, monkeypatch):
    """Listings in three districts of two states; the home page shows the newest two."""
    make_places(app)
    _, weaver = make_seller(app, "approved")
    _, brass = make_seller(app, "approved", district=171, product_names=("Metal Craft",))
    _, farmer = make_seller(app, "approved", district=551, product_names=("Cashew",))
    ids = {"Old saree": listing(app, weaver, "Old saree", stock="5"),
           "Brass lamp": listing(app, brass, "Brass lamp"),
           "Goa cashew": listing(app, farmer, "Goa cashew"),
           "New saree": listing(app, weaver, "New saree", stock="5")}
    real = storefront.newest_cards
    monkeypatch.setattr(storefront, "HOME_NEWEST", 2)
    monkeypatch.setattr(storefront, "newest_cards", lambda limit=2: real(limit))
    return ids


def product(shop, title: str) -> str:
    return f"/products/{shop[title]}-{storefront.slugify(title)}"


def rebuilt(app, client, paths) -> set[str]:
    """Which of these pages were built again rather than served from the cache."""
    return {path for path in paths if statements(app, client, path) > 1}


def warm(client, paths) -> None:
    for path in paths:
        assert client.get(path, follow_redirects=True).status_code == 200, path


def text(client, path) -> str:
    return client.get(path, follow_redirects=True).get_data(as_text=True)


def change(app, listing_id, **values):
    """The seller changes price and stock, as from their listings page."""
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        data = {"price": "100", "mrp": "120", "stock": str(item.stock), "made_to_order": False,
                "lead_time_days": ""}
        listings.update_price_and_stock(item.seller, item, {**data, **values})


def all_pages(shop) -> list[str]:
    return [*PAGES, *(product(shop, title) for title in shop)]


def test_a_price_change_rebuilds_its_product_district_and_sector_pages_only(app, client, shop):
    pages = all_pages(shop)
    warm(client, pages)
    change(app, shop["New saree"], price="90")
    assert rebuilt(app, client, pages) == {
        product(shop, "New saree"), "/districts/187", "/sectors/handloom",
        "/"}, "the home page too: the saree is among its newest"
    assert "90.00" in text(client, product(shop, "New saree"))
    assert "90.00" in text(client, "/districts/187")


def test_a_change_to_a_listing_not_among_the_newest_leaves_the_home_page_cached(app, client,
                                                                              shop):
    pages = all_pages(shop)
    warm(client, pages)
    change(app, shop["Old saree"], price="95")
    assert rebuilt(app, client, pages) == {
        product(shop, "Old saree"), "/districts/187", "/sectors/handloom"}
    assert "95.00" in text(client, "/districts/187")


def test_a_sale_that_leaves_stock_rebuilds_only_its_product_page(app, client, shop):
    pages = [*all_pages(shop), "/search?q=saree"]
    warm(client, pages)
    change(app, shop["New saree"], stock="2")
    assert rebuilt(app, client, pages) == {product(shop, "New saree")}
    assert "2 left" in text(client, product(shop, "New saree"))


def test_a_checkout_taking_stock_changes_only_the_product_page_until_it_sells_out(app, client,
                                                                                 shop):
    pages = [*all_pages(shop), "/search?q=saree"]
    warm(client, pages)
    with app.test_request_context():
        assert stock.reserve({shop["Old saree"]: 4}) is None
        db.session.commit()
    assert rebuilt(app, client, pages) == {product(shop, "Old saree")}
    assert "1 left" in text(client, product(shop, "Old saree"))

    with app.test_request_context():
        assert stock.reserve({shop["Old saree"]: 1}) is None
        db.session.commit()
    assert rebuilt(app, client, pages) == {
        product(shop, "Old saree"), "/districts/187", "/states/9", "/sectors/handloom",
        "/search?q=saree", "/"}  # the home page's count of products for sale
    assert "Old saree" not in text(client, "/districts/187")
    assert marked_sold_out(text(client, "/search?q=saree"), "Old saree")  # found, and marked
    assert "Out of stock" in text(client, product(shop, "Old saree"))


def test_a_sell_out_takes_the_listing_off_its_pages_and_the_counts(app, client, shop):
    pages = all_pages(shop)
    warm(client, pages)
    change(app, shop["Brass lamp"], stock="0")
    assert rebuilt(app, client, pages) == {
        product(shop, "Brass lamp"), "/districts/171", "/states/9", "/sectors/handicraft",
        "/"}  # the home page's counts of products for sale
    assert "Brass lamp" not in text(client, "/districts/171")
    assert "Out of stock" in text(client, product(shop, "Brass lamp"))


def second_worker(app, **overrides):
    """Another app on the same database, with its own in-process cache: another worker."""
    worker = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                        MAIL_FILE_DIR=app.config["MAIL_FILE_DIR"],
                        STORAGE_ROOT=app.config["STORAGE_ROOT"], **overrides)
    yield worker
    with worker.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def clock(monkeypatch):
    """page_versions' clock, moved on by hand."""
    now = [1000.0]
    monkeypatch.setattr(page_versions, "clock", lambda: now[0])
    return now


def test_a_change_through_one_worker_shows_on_another_within_the_poll(app, shop, clock):
    for other in second_worker(app, SHOP_CHANGES_POLL_SECONDS=1):
        client = other.test_client()
        path = product(shop, "New saree")
        assert "100.00" in text(client, path)
        change(app, shop["New saree"], price="90")
        assert "100.00" in text(client, path), "the other worker has not read the log yet"
        clock[0] += 1
        assert "90.00" in text(client, path)
        assert "90.00" in text(client, "/districts/187")


def test_a_change_shows_at_once_on_the_worker_that_made_it(app, client, shop, clock):
    app.config["SHOP_CHANGES_POLL_SECONDS"] = 60
    warm(client, [product(shop, "New saree")])
    change(app, shop["New saree"], price="90")
    assert "90.00" in text(client, product(shop, "New saree"))


def test_searches_are_at_most_a_few_seconds_behind(app, shop, clock):
    for other in second_worker(app, SEARCH_STALE_SECONDS=5):
        client = other.test_client()
        assert not marked_sold_out(text(client, "/search?q=saree"), "Old saree")
        with app.test_request_context():
            assert stock.reserve({shop["Old saree"]: 5}) is None
            db.session.commit()
        assert "Out of stock" in text(client, product(shop, "Old saree"))
        assert "Old saree" not in text(client, "/districts/187")
        clock[0] += 4
        assert not marked_sold_out(text(client, "/search?q=saree"), "Old saree"), (
            "searches may lag a little")
        clock[0] += 1
        assert marked_sold_out(text(client, "/search?q=saree"), "Old saree")


def test_a_worker_idle_longer_than_the_log_keeps_starts_again(app, shop, clock):
    for other in second_worker(app, SHOP_CHANGES_KEEP_SECONDS=600):
        client = other.test_client()
        path = product(shop, "New saree")
        assert "100.00" in text(client, path)
        change(app, shop["New saree"], price="90")
        change(app, shop["Brass lamp"], price="80")
        with app.app_context():  # what pruning does once the rows are old
            db.session.execute(delete(ShopChange).where(
                ShopChange.id < select(func.max(ShopChange.id)).scalar_subquery()))
            db.session.commit()
        clock[0] += 301
        assert "90.00" in text(client, path)


def test_pruning_keeps_the_last_change(app, runner, shop):
    app.config["SHOP_CHANGES_KEEP_SECONDS"] = 0
    result = runner.invoke(args=["prune-shop-changes"])
    assert result.exit_code == 0 and "pruned" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ShopChange)) == 1


def test_a_made_to_order_listing_running_out_of_stock_stays_on_its_cached_pages(app, client,
                                                                                shop):
    change(app, shop["Brass lamp"], stock="1", made_to_order=True, lead_time_days="9")
    pages = [*all_pages(shop), "/search?q=lamp"]
    warm(client, pages)
    change(app, shop["Brass lamp"], stock="0", made_to_order=True, lead_time_days="9")
    # Cards do not say whether it is in stock; the search's "in stock" filter does.
    assert rebuilt(app, client, pages) == {product(shop, "Brass lamp"), "/search?q=lamp"}
    assert "Brass lamp" in text(client, "/districts/171")
    assert "Brass lamp" not in text(client, "/search?q=lamp&in_stock=y")


def redis_or_skip() -> str:
    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return url


def test_workers_sharing_a_cache_never_serve_a_page_from_before_a_change_they_know(app, shop,
                                                                                clock):
    shared = dict(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_or_skip(),
                  CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex}:", SHOP_CHANGES_POLL_SECONDS=60)
    path = product(shop, "New saree")
    for first in second_worker(app, **shared):
        assert "100.00" in text(first.test_client(), path)
        change(app, shop["New saree"], price="90")
        # Started after the change: whatever it has not read of the log is older than its start.
        for later in second_worker(app, **shared):
            assert "90.00" in text(later.test_client(), path)
        assert "100.00" in text(first.test_client(), path), "has not read the log yet"
        clock[0] += 60
        assert "90.00" in text(first.test_client(), path)
        with first.app_context():
            cache.clear()


def test_a_seller_renamed_shows_on_all_their_product_pages_even_sold_out(app, client, shop):
    change(app, shop["Old saree"], stock="0")
    pages = all_pages(shop)
    warm(client, pages)
    with app.app_context():
        item = db.session.get(Listing, shop["Old saree"])
        item.seller.display_name = "Kashi Looms"
        db.session.commit()
    assert rebuilt(app, client, pages) == {
        product(shop, "Old saree"), product(shop, "New saree"), "/districts/187",
        "/sectors/handloom", "/"}
    assert "Kashi Looms" in text(client, product(shop, "Old saree"))


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite has one writer at a time anyway")
def test_change_log_rows_become_visible_in_id_order(app):
    # A worker that has read id 11 never asks for 10: the second writer must wait for the first.
    with app.app_context():
        first, second = Session(db.engine), Session(db.engine)
        try:
            shop_changes.note(first, {"home"})
            assert shop_changes.write_noted(first)
            second.execute(sql("SET LOCAL lock_timeout = '200ms'"))
            shop_changes.note(second, {"home"})
            with pytest.raises(OperationalError, match="lock"):
                shop_changes.write_noted(second)
        finally:
            second.rollback()
            first.commit()
            first.close()
            second.close()


def test_writers_prune_the_log_now_and_then(app, shop, monkeypatch):
    monkeypatch.setattr(shop_changes, "PRUNE_EVERY", 1)
    app.config["SHOP_CHANGES_KEEP_SECONDS"] = 0
    change(app, shop["Brass lamp"], stock="2")
    with app.app_context():
        assert db.session.scalars(select(ShopChange.topics)).all() == [
            f"listing:{shop['Brass lamp']}"]
