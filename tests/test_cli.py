"""Commands an operator runs: create-user and seed-demo."""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Role, User
from tests.conftest import log_in


def test_create_user_makes_a_verified_staff_account(app, runner, client):
    result = runner.invoke(args=["create-user", "--role", "staff", "Reviewer@Example.com",
                                 "--password", "reviewer-pass-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "reviewer@example.com"))
        assert user.role == "staff" and user.email_verified
    log_in(client, "reviewer@example.com", "reviewer-pass-1")


def test_create_user_prompts_for_the_password(app, runner):
    result = runner.invoke(args=["create-user", "--role", "admin", "boss@example.com"],
                           input="boss-password-1\nboss-password-1\n")
    assert result.exit_code == 0, result.output
    assert "boss-password-1" not in result.output


def test_create_user_refuses_a_taken_email_or_a_short_password(app, runner):
    runner.invoke(args=["create-user", "a@example.com", "--password", "long-enough-1"])
    taken = runner.invoke(args=["create-user", "A@example.com", "--password", "long-enough-2"])
    assert taken.exit_code != 0 and "already exists" in taken.output
    short = runner.invoke(args=["create-user", "b@example.com", "--password", "short"])
    assert short.exit_code != 0 and "at least 8 characters" in short.output


def test_seed_demo_prints_accounts_that_work_and_runs_once(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "buyer@example.com / demo-buyer-pass" in result.output
    assert "staff@example.com / demo-staff-pass" in result.output
    log_in(client, "seller@example.com", "demo-seller-pass")
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "no demo data added" in again.output
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 8


def test_seed_demo_is_refused_in_production(monkeypatch, tmp_path):
    from config import ProductionConfig
    from odop_bazaar import create_app

    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SERVER_NAME", "odop.example.org")
    app = create_app(ProductionConfig, SECRET_KEY="s3cret", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "not for a production database" in result.output
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []


def test_seed_demo_with_the_odop_list_adds_an_approved_seller_and_one_in_the_queue(app, runner):
    from odop_bazaar.models import Seller

    assert runner.invoke(args=["import-odop"]).exit_code == 0
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        statuses = {s.user.email: s.status for s in db.session.scalars(select(Seller))}
    assert statuses.pop("seller@example.com") == "approved"
    assert statuses.pop("applicant@example.com") == "submitted"
    assert len(statuses) == 10 and set(statuses.values()) == {"approved"}  # the other makers
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "already there" in again.output
    with app.app_context():
        assert len(db.session.scalars(select(Seller)).all()) == 12


def test_reindex_search_rebuilds_the_documents(app, runner):
    from sqlalchemy import text

    assert runner.invoke(args=["import-odop"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        db.session.execute(text("DELETE FROM listing_search"))
        db.session.commit()
    result = runner.invoke(args=["reindex-search"])
    assert result.exit_code == 0 and "37 listings" in result.output
    with app.test_request_context():
        from odop_bazaar.services.catalogue import search

        found = search.search_listings("banarasi", search.Filters())
        assert found.total == 2


def test_bench_data_makes_listings_buyers_can_find(app, runner, client):
    assert runner.invoke(args=["import-odop"]).exit_code == 0
    result = runner.invoke(args=["bench-data", "--listings", "40"])
    assert result.exit_code == 0, result.output
    assert "Added 40 listings." in result.output
    with app.test_request_context():
        from odop_bazaar.services.catalogue import search

        everything = search.search_listings("", search.Filters())
        handwoven = search.search_listings("handwoven", search.Filters())
    assert 30 <= everything.total <= 40  # a few are out of stock
    assert 0 < handwoven.total < everything.total
    assert client.get("/").status_code == 200


def test_bench_data_pending_listings_wait_for_review_then_go_on_the_shop(app, runner, client):
    from odop_bazaar.models.catalogue import Listing
    from odop_bazaar.services import catalogue
    from tests.factories import make_user

    assert runner.invoke(args=["import-odop"]).exit_code == 0
    result = runner.invoke(args=["bench-data", "--listings", "5", "--pending", "3"])
    assert result.exit_code == 0, result.output
    assert "3 listings waiting for review" in result.output
    staff_email = make_user(app, Role.STAFF)
    with app.app_context():
        waiting = db.session.scalars(select(Listing).where(Listing.status == "submitted")).all()
        assert len(waiting) == 3
        first = waiting[0].id
        assert client.get(f"/products/{first}").status_code == 404
        staff = db.session.scalar(select(User).where(User.email == staff_email))
        catalogue.approve_listing(waiting[0], staff)
    assert client.get(f"/products/{first}", follow_redirects=True).status_code == 200


def test_post_settlements_runs_and_reports(app, runner):
    result = runner.invoke(args=["post-settlements"])
    assert result.exit_code == 0, result.output
    assert "Ledger entries written: 0." in result.output


def test_make_runs_first_seed_works_without_a_server_name(shared_database_url, tmp_path):
    """`make run` seeds before it serves, with no SERVER_NAME (development): the mail the demo
    writes links to where the site will be, instead of the command failing."""
    from tests.conftest import make_test_app

    for app in make_test_app(shared_database_url, tmp_path, SERVER_NAME=None,
                             TRUSTED_HOSTS=None, LINK_BASE_URL="http://127.0.0.1:5000"):
        runner = app.test_cli_runner()
        assert runner.invoke(args=["import-odop"]).exit_code == 0
        result = runner.invoke(args=["seed-demo", "--if-empty"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            from odop_bazaar.models import OutboxMessage

            bodies = " ".join(m.body for m in db.session.scalars(select(OutboxMessage)))
        assert "http://127.0.0.1:5000/" in bodies


def test_the_first_run_seeds_a_shop_that_looks_real(app, runner, client):
    """`make run` on an empty database: dozens of listings from several makers in many
    districts, states and sectors, and enough stock that test orders sell nothing out."""
    from sqlalchemy import func

    from odop_bazaar.models.shop import ShopListing

    assert runner.invoke(args=["import-odop", "--if-empty"]).exit_code == 0
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert result.output.count("----- mail to") <= 5  # the makers' own mail is not printed
    with app.app_context():
        shop = db.session.execute(select(
            func.count(), func.count(ShopListing.district_lgd_code.distinct()),
            func.count(ShopListing.state_lgd_code.distinct()),
            func.count(ShopListing.sector.distinct()),
            func.count(ShopListing.seller_id.distinct()))).one()
        assert tuple(shop) >= (30, 10, 8, 4, 10), tuple(shop)
        in_stock = db.session.scalar(select(func.count()).where(ShopListing.in_stock))
        assert in_stock >= 30
    for query in ("saree", "bangles", "tea", "ajrakh"):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert 'class="product-card"' in page, query
