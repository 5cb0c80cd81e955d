"""Migrations upgrade an empty database to exactly the models, and downgrade cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect, text

from config import TestingConfig
from odop_bazaar import create_app
from odop_bazaar.db_types import include_in_migrations
from odop_bazaar.extensions import db
from tests.conftest import scratch_database


def test_upgrade_from_empty_matches_the_models(tmp_path):
    with scratch_database(tmp_path) as url:
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert {"state", "district", "odop_product", "user", "alembic_version"} <= tables
            check()  # what `flask db check` runs: it raises when models and database differ
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={
                    "compare_type": True, "include_name": include_in_migrations})
                assert compare_metadata(context, db.metadata) == []

            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            db.engine.dispose()


def test_upgrade_from_the_shop_generation_to_the_change_log(tmp_path):
    with scratch_database(tmp_path) as url:
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="0011")
            with db.engine.begin() as connection:
                assert connection.scalar(text("SELECT generation FROM shop_state")) == 1
            upgrade()
            assert "shop_state" not in inspect(db.engine).get_table_names()
            check()
            # The log starts empty: workers take its end (0) for their baseline.
            with db.engine.begin() as connection:
                assert connection.scalar(text("SELECT count(*) FROM shop_change")) == 0
            downgrade(revision="0011")
            with db.engine.begin() as connection:
                assert connection.scalar(text("SELECT generation FROM shop_state")) == 1
            assert "shop_change" not in inspect(db.engine).get_table_names()
            db.engine.dispose()
