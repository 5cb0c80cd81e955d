"""Configuration classes, chosen by the ODOP_CONFIG environment variable.

ODOP_CONFIG=development (the default), testing or production. Every configuration takes
DATABASE_URL from the environment when it is set.
"""

import logging
import os
from datetime import timedelta
from pathlib import Path

from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent
# In a checkout instance/ is beside this file. An installed wheel carries this file inside
# site-packages (odop_bazaar/_bundle/), no place for a database or mail: there the default is
# instance/ in the working directory the app or command is started from. ODOP_INSTANCE_PATH
# says where, in either case.
IN_CHECKOUT = (BASE_DIR / "pyproject.toml").is_file()
INSTANCE_DIR = Path(os.environ.get("ODOP_INSTANCE_PATH")
                    or (BASE_DIR if IN_CHECKOUT else Path.cwd()) / "instance").resolve()


class ConfigError(RuntimeError):
    """The environment does not give a configuration what it needs to start."""


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default: str | None) -> str | None:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url and url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    CONFIG_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'odop_bazaar.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    LANGUAGES = {"en": "English", "hi": "हिन्दी"}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Kolkata"

    WTF_CSRF_TIME_LIMIT = None  # a seller may take an hour over a form on a slow phone

    # Flask-Limiter: memory for one process; set RATELIMIT_STORAGE_URI=redis://... with gunicorn.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # When that Redis is down, limits are counted in each worker's memory until it answers again
    # (Flask-Limiter checks it with a growing back-off), and any other storage error lets the
    # request through rather than refuse a sign-in with a 500. One short try per connection.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25,
                                 "retry": Retry(NoBackoff(), 0)}
    RATELIMIT_HEADERS_ENABLED = True
    # Said outright: Flask-Limiter's one Limiter otherwise carries the last app's setting into
    # the next app it is bound to, so a test app with limits off would switch them off for all.
    RATELIMIT_ENABLED = True
    # The JSON API: per token (per address without one); a phone app syncing a shop stays well
    # under it, a runaway script does not.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes")
    EMAIL_LIMIT_PER_ADDRESS = os.environ.get("EMAIL_LIMIT_PER_ADDRESS", "10 per hour")
    # Registrations from one address: generous, because a common service centre may register
    # many artisans from one connection.
    REGISTER_LIMIT_PER_ADDRESS = os.environ.get("REGISTER_LIMIT_PER_ADDRESS", "30 per hour")

    EMAIL_VERIFY_MAX_AGE = int(timedelta(days=3).total_seconds())
    PASSWORD_RESET_MAX_AGE = int(timedelta(hours=1).total_seconds())

    # Mail: console (printed), file (one .eml per message under MAIL_FILE_DIR), smtp, or memory.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(INSTANCE_DIR / "mail"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_flag("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "ODOP Bazaar <no-reply@localhost>")
    # Mail waits in the outbox table until a server takes it: a failed try is made again after
    # OUTBOX_RETRY_SECONDS, doubled each time (at most an hour); after OUTBOX_MAX_ATTEMPTS tries
    # it is "failed", listed for admins at /staff/mail.
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", "30"))

    # Background jobs: unset, they run in the web process (development, tests); redis://...
    # puts them on an RQ queue for `flask worker` (and `flask job-scheduler` for the timed ones).
    JOB_QUEUE_URL = os.environ.get("JOB_QUEUE_URL")
    JOB_QUEUE_NAME = os.environ.get("JOB_QUEUE_NAME", "odop")
    JOB_QUEUE_TIMEOUT = float(os.environ.get("JOB_QUEUE_TIMEOUT", "2"))  # seconds, per Redis call

    # Uploaded files: "local" keeps them under STORAGE_ROOT (default instance/storage), on one
    # machine; "s3" in two buckets of an S3-compatible store (AWS S3, MinIO, R2) that every
    # machine shares, with credentials from boto3's usual places (AWS_ACCESS_KEY_ID ...).
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    STORAGE_ROOT = os.environ.get("STORAGE_ROOT")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # unset for AWS itself
    S3_REGION = os.environ.get("S3_REGION")
    S3_ADDRESSING_STYLE = os.environ.get("S3_ADDRESSING_STYLE")  # "path" for some MinIO setups
    S3_PUBLIC_BUCKET = os.environ.get("S3_PUBLIC_BUCKET")  # product photos, readable by anyone
    S3_PRIVATE_BUCKET = os.environ.get("S3_PRIVATE_BUCKET")  # documents: never public
    # Where browsers fetch product photos: the public bucket's URL or a CDN in front of it.
    # Unset, photos go through the app's /media/ route (which reads them from the store).
    MEDIA_URL = os.environ.get("MEDIA_URL")
    DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
    DOCUMENT_MAX_PIXELS = 40_000_000
    # A PAN card is one page and a bank proof a few; the limit bounds what one upload costs.
    DOCUMENT_MAX_PAGES = 20
    # How long a document that passed, in a section refused for another answer, is kept for the
    # seller's next try (services/sellers/kept.py); `flask forget-kept-uploads` deletes older.
    KEPT_UPLOAD_MAX_AGE = int(timedelta(days=1).total_seconds())
    SELLER_TERMS_VERSION = "2026-11"
    # Marketplace terms shown on every product page (Consumer Protection (E-Commerce) Rules).
    RETURN_WINDOW_DAYS = int(os.environ.get("RETURN_WINDOW_DAYS", "7"))
    DISPATCH_DAYS = int(os.environ.get("DISPATCH_DAYS", "2"))
    # The marketplace's own grievance officer (E-Commerce Rules 2020, rule 4(4)).
    GRIEVANCE_OFFICER_NAME = os.environ.get("GRIEVANCE_OFFICER_NAME", "ODOP Bazaar Grievance Officer")
    GRIEVANCE_OFFICER_EMAIL = os.environ.get("GRIEVANCE_OFFICER_EMAIL", "grievance@odop-bazaar.invalid")
    GRIEVANCE_OFFICER_PHONE = os.environ.get("GRIEVANCE_OFFICER_PHONE", "")
    # How long after a complaint is resolved the person who opened it may reopen it.
    RESOLVED_REOPEN_DAYS = int(os.environ.get("RESOLVED_REOPEN_DAYS", "14"))
    PHOTO_MAX_BYTES = 15 * 1024 * 1024
    PHOTO_MAX_PIXELS = 50_000_000  # a 48 MP phone photo fits; a decompression bomb does not
    PHOTO_MIN_SIDE = 320

    # Cached parts of buyer pages (page_cache.py): in-process by default; set CACHE_TYPE=RedisCache
    # and CACHE_REDIS_URL=redis://... to share them between gunicorn workers and machines.
    # RedisCache means cache_backends.FailSafeRedisCache: when Redis is down pages are rendered
    # without it, and Redis is not asked again for CACHE_REDIS_RETRY_AFTER seconds.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_REDIS_TIMEOUT = float(os.environ.get("CACHE_REDIS_TIMEOUT", "0.25"))  # seconds
    CACHE_REDIS_RETRY_AFTER = float(os.environ.get("CACHE_REDIS_RETRY_AFTER", "5"))  # seconds
    # Keys are "<namespace>:<code version>:...": two sites may share a Redis, and a deploy never
    # reads the markup of the code before it. The version is a hash of the code (code_version.py)
    # unless ODOP_CODE_VERSION (a release tag or git sha) names it.
    CACHE_NAMESPACE = os.environ.get("CACHE_NAMESPACE", "odop")
    CODE_VERSION = os.environ.get("ODOP_CODE_VERSION") or None
    CACHE_DEFAULT_TIMEOUT = 3600
    CACHE_THRESHOLD = 2000  # entries per worker
    # How often (seconds) a worker reads the shop's change log (page_versions.py); a change made
    # through another worker shows on buyer pages within this time. SHOP_GENERATION_TTL was
    # its name when one number stood for the whole shop.
    SHOP_CHANGES_POLL_SECONDS = float(os.environ.get(
        "SHOP_CHANGES_POLL_SECONDS", os.environ.get("SHOP_GENERATION_TTL", "1")))
    # Searches may be this many seconds behind the shop (plus the poll): see page_versions.py.
    SEARCH_STALE_SECONDS = float(os.environ.get("SEARCH_STALE_SECONDS", "5"))
    # How long the change log keeps its rows (flask prune-shop-changes, and every 1000th write).
    SHOP_CHANGES_KEEP_SECONDS = 24 * 3600

    # Payments. Cash on delivery always; card payments through Stripe when a secret key is set.
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE")  # a Stripe stand-in, for tests
    STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
    # How long a card order holds its stock while waiting for payment (flask expire-unpaid-orders).
    PAYMENT_TIMEOUT_MINUTES = int(os.environ.get("PAYMENT_TIMEOUT_MINUTES", "30"))
    # A second press of "Place order" while the first is still setting up the card payment
    # waits this long for that order, then says it is still being placed.
    CHECKOUT_REPEAT_WAIT_SECONDS = 15

    # The public host name. Links in emails are built from it, never from the request's Host
    # header (which anyone can forge). Required in production.
    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    # Where links in mail written by a command or worker point when SERVER_NAME is not set
    # (development: `flask seed-demo` before `make run` serves the site).
    # (`make run` passes PORT through, so the links follow `PORT=8000 make run`.)
    LINK_BASE_URL = os.environ.get(
        "LINK_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT') or 5000}")
    BEHIND_PROXY = _env_flag("BEHIND_PROXY")
    PERMANENT_SESSION_LIFETIME = timedelta(days=180)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Above the document and photo limits, so an oversized file gets its own clear message
    # on the form (with the answers kept) rather than a bare "too large" page.
    MAX_CONTENT_LENGTH = 40 * 1024 * 1024
    # Any other request body. The longest form (a listing in Devanagari, every field full) is
    # under 80 kB once URL-encoded.
    MAX_FORM_BODY_LENGTH = 256 * 1024
    # The sitemap protocol's limit for one file; past it /sitemap.xml becomes an index of
    # /sitemap-N.xml files. Tests lower it rather than create 50,000 products.
    SITEMAP_MAX_URLS = 50_000

    # Operations: JSON logs on stderr at LOG_LEVEL (logs.py); /metrics only to these networks
    # or with this bearer token (metrics.py); errors to Sentry when a DSN is set
    # (error_reporting.py); readiness checks whose failure leaves /readyz at 200 (health.py).
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
    METRICS_ALLOW = os.environ.get("METRICS_ALLOW", "127.0.0.1/32,::1/128")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    SENTRY_DSN = os.environ.get("SENTRY_DSN") or None
    SENTRY_TRACES_SAMPLE_RATE = float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0"))
    READYZ_OPTIONAL = os.environ.get("READYZ_OPTIONAL", "cache,limiter,queue")

    @classmethod
    def validate(cls) -> None:
        """Raise ConfigError when the environment is missing something this configuration needs."""
        if cls.LOG_LEVEL not in logging.getLevelNamesMapping():
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, "
                              f"not {cls.LOG_LEVEL!r}.")


class DevelopmentConfig(Config):
    CONFIG_NAME = "development"
    DEBUG = False  # `flask run --debug` turns the debugger on when a developer wants it


class TestingConfig(Config):
    CONFIG_NAME = "testing"
    TESTING = True
    # The test suite's own key and a fast hash for tests; real configs use the default.
    SECRET_KEY = "testing-secret"  # nosec B105
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    MAIL_BACKEND = "memory"
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # nosec B105
    SERVER_NAME = "localhost"
    SHOP_CHANGES_POLL_SECONDS = 0  # every request sees the latest change
    SEARCH_STALE_SECONDS = 0
    # The test servers' chatter (aiosmtpd logs each connection at INFO) stays out of the output.
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").strip().upper()


class ProductionConfig(Config):
    CONFIG_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(None)
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))

    @classmethod
    def validate(cls) -> None:
        super().validate()
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "SERVER_NAME")
                   if not os.environ.get(name)]
        if missing:
            raise ConfigError(
                "ODOP Bazaar will not start in production without "
                + ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
                + " set in the environment."
            )
        problems = cls.unsafe_settings()
        if problems:
            raise ConfigError("\n".join(problems))

    @classmethod
    def unsafe_settings(cls) -> list[str]:
        """One line for each combination of settings that would run but do the wrong thing."""
        problems = []
        # gunicorn.conf.py puts its worker count in WEB_CONCURRENCY before the app is loaded.
        workers = int(os.environ.get("WEB_CONCURRENCY") or "1")
        if workers > 1 and not _env_flag("ALLOW_PER_PROCESS_STATE"):
            if cls.RATELIMIT_STORAGE_URI.startswith("memory://"):
                problems.append(
                    f"{workers} workers would each count rate limits on their own: set "
                    "RATELIMIT_STORAGE_URI=redis://..., or ALLOW_PER_PROCESS_STATE=1.")
            if cls.CACHE_TYPE in ("SimpleCache", "simple",
                                  "flask_caching.backends.SimpleCache"):
                problems.append(
                    f"{workers} workers would each keep a cache that the others never clear: "
                    "set CACHE_TYPE=RedisCache and CACHE_REDIS_URL, or ALLOW_PER_PROCESS_STATE=1.")
        if cls.STRIPE_SECRET_KEY and not cls.STRIPE_WEBHOOK_SECRET:
            problems.append("STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: "
                            "card payments would never be confirmed.")
        buckets = [name for name in ("S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET")
                   if os.environ.get(name)]
        if cls.STORAGE_BACKEND == "local" and buckets:
            verb, them = ("are", "them") if len(buckets) > 1 else ("is", "it")
            problems.append(f"STORAGE_BACKEND is local but {' and '.join(buckets)} {verb} set: "
                            f"set STORAGE_BACKEND=s3, or unset {them}.")
        return problems


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The configuration class named by ODOP_CONFIG (development when unset)."""
    name = os.environ.get("ODOP_CONFIG", "development").strip().lower()
    if name not in CONFIGS:
        raise ConfigError(f"ODOP_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}.")
    return CONFIGS[name]
