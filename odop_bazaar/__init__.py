"""ODOP Bazaar: the application factory."""

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from odop_bazaar import paths
from odop_bazaar.i18n import LanguageAwareFlask


def create_app(config_class=None, **overrides) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages and commands."""
    config_class = config_class or paths.config.config_from_env()
    config_class.validate()

    app = LanguageAwareFlask(
        __name__,
        template_folder=str(paths.TEMPLATES),
        static_folder=str(paths.STATIC),
        instance_path=str(paths.config.INSTANCE_DIR),
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    if app.config.get("SERVER_NAME") and not app.config.get("TRUSTED_HOSTS"):
        # Refuse requests for any other host, so a forged Host header cannot reach the app.
        app.config["TRUSTED_HOSTS"] = [app.config["SERVER_NAME"].split(":")[0]]

    # The SQLite database, mail files and (later) uploads live here; flaskr does the same.
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_operations(app)
    return app


def register_extensions(app: Flask) -> None:
    from odop_bazaar import (
        hardening,
        http_caching,
        i18n,
        jobs,
        mail,
        payments,
        security_headers,
        sqlite_settings,  # noqa: F401  (SQLite connections in WAL mode)
        static_files,
        storage,
    )
    from odop_bazaar.cache_backends import init_app as init_cache
    from odop_bazaar.extensions import babel, cache, csrf, db, limiter, login_manager, migrate

    hardening.init_app(app)
    security_headers.init_app(app)
    http_caching.init_app(app)
    static_files.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(paths.MIGRATIONS))
    csrf.init_app(app)
    limiter.init_app(app)
    init_cache(app, cache)  # keys carry the code version; Redis may fail
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=None)
    i18n.init_app(app)  # inside ProxyFix (register_operations), which must see the request first
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    mail.init_app(app)
    jobs.init_app(app)
    storage.init_app(app)
    payments.init_app(app)

    from odop_bazaar.models import accounts  # noqa: F401  (registers the user loader)
    from odop_bazaar.services import outbox  # noqa: F401  (writes noted mail with each commit)
    from odop_bazaar.services.catalogue import shop_listings  # noqa: F401  (keeps shop rows in step



def register_operations(app: Flask) -> None:
    """Logs, metrics, health checks and error reports: WSGI layers around the whole app."""
    from odop_bazaar import error_reporting, health, logs, metrics

    error_reporting.init_app(app)
    metrics.init_app(app)  # counts what Flask answers
    health.init_app(app)  # /healthz, /readyz, /metrics: before host checks and the language
    logs.init_app(app)  # the request id on every answer, those above included
    if app.config.get("BEHIND_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outermost, so /metrics sees the client's address rather than the proxy's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)


def register_blueprints(app: Flask) -> None:
    from odop_bazaar.auth import bp as auth_bp
    from odop_bazaar.complaints import bp as complaints_bp
    from odop_bazaar.listings import bp as listings_bp
    from odop_bazaar.onboarding import bp as onboarding_bp
    from odop_bazaar.orders import bp as orders_bp
    from odop_bazaar.public import bp as public_bp
    from odop_bazaar.reviews import bp as reviews_bp
    from odop_bazaar.shop import bp as shop_bp
    from odop_bazaar.staff import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(onboarding_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(shop_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(reviews_bp)

    from odop_bazaar import api

    api.init_app(app)  # /api/v1: flask-smorest blueprints, and the OpenAPI document


def register_errorhandlers(app: Flask) -> None:
    from odop_bazaar.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from odop_bazaar import templating

    templating.init_app(app)


def register_commands(app: Flask) -> None:
    from odop_bazaar import cli

    cli.init_app(app)
