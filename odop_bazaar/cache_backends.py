"""The cache of rendered parts (Flask-Caching), shared through Redis by every worker and machine.

Redis is a cache here, never a dependency: when it is down, slow or refusing, a read is a miss
and a write does nothing, so every page is rendered from the database instead of failing. One
warning is logged when Redis stops answering and one line when it answers again. After a failure
the cache rests for CACHE_REDIS_RETRY_AFTER seconds without asking Redis at all, so a dead or
unreachable Redis costs one short timeout per worker every few seconds rather than one (or,
with redis-py's default retries, eleven) on every request; then it tries again by itself.

Every key starts with CACHE_NAMESPACE and the code version (code_version.py): workers of the
previous deploy and of this one share a Redis but never each other's markup.
"""

import functools
import logging
import time

from flask import Flask
from flask_caching import Cache
from flask_caching.backends.rediscache import RedisCache
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from odop_bazaar.code_version import code_version

log = logging.getLogger(__name__)

FAIL_SAFE_REDIS = "odop_bazaar.cache_backends.FailSafeRedisCache"
# The names an operator may write for the shared cache; both mean the fail-safe one.
_REDIS_NAMES = {"RedisCache", "redis", FAIL_SAFE_REDIS}


def init_app(app: Flask, cache: Cache) -> None:
    """Bind the cache: keys carry the code version, and Redis means the fail-safe backend."""
    config = app.config
    config["CODE_VERSION"] = config.get("CODE_VERSION") or code_version()
    config["CACHE_KEY_PREFIX"] = f"{config['CACHE_NAMESPACE']}:{config['CODE_VERSION']}:"
    if config["CACHE_TYPE"] in _REDIS_NAMES:
        config["CACHE_TYPE"] = FAIL_SAFE_REDIS
    cache.init_app(app)


def _unless_down(on_failure):
    """Run a Redis command, or answer on_failure(*args) when Redis is resting or fails."""

    def decorate(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            if self.resting():
                return on_failure(*args)
            try:
                answer = method(self, *args, **kwargs)
            except RedisError as error:
                self.failed(error)
                return on_failure(*args)
            self.answered()
            return answer

        return guarded

    return decorate


def _nothing(*_):
    return None


def _false(*_):
    return False


def _no_keys(*_):
    return []


def _misses(*keys):
    return [None] * len(keys)


class FailSafeRedisCache(RedisCache):
    """Flask-Caching's RedisCache whose every failure is a miss (or a no-op), with a rest."""

    def __init__(self, *args, retry_after: float = 5.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after
        self.down_until: float | None = None  # time.monotonic() until which Redis is not asked

    @classmethod
    def factory(cls, app, config, args, kwargs):
        timeout = float(config.get("CACHE_REDIS_TIMEOUT", 0.25))
        options = {
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            # redis-py retries a failed connection ten times with back-off by default; the
            # page would wait for all of them. One try; the rest below is the back-off.
            "retry": Retry(NoBackoff(), 0),
            **(config.get("CACHE_OPTIONS") or {}),
        }
        client = Redis.from_url(config.get("CACHE_REDIS_URL") or "redis://localhost:6379/0",
                                **options)
        return cls(client, default_timeout=kwargs.get("default_timeout", 300),
                   key_prefix=config.get("CACHE_KEY_PREFIX"),
                   retry_after=float(config.get("CACHE_REDIS_RETRY_AFTER", 5)))

    def resting(self) -> bool:
        """True while a recent failure says not to ask Redis yet."""
        return self.down_until is not None and time.monotonic() < self.down_until

    def failed(self, error: RedisError) -> None:
        if self.down_until is None:
            log.warning("Redis cache unavailable (%s): pages are rendered without it; "
                        "trying again every %g s", error, self.retry_after)
        self.down_until = time.monotonic() + self.retry_after

    def answered(self) -> None:
        if self.down_until is not None:
            self.down_until = None
            log.warning("Redis cache answers again")

    get = _unless_down(_nothing)(RedisCache.get)
    get_many = _unless_down(_misses)(RedisCache.get_many)
    has = _unless_down(_false)(RedisCache.has)
    set = _unless_down(_false)(RedisCache.set)
    add = _unless_down(_false)(RedisCache.add)
    set_many = _unless_down(_no_keys)(RedisCache.set_many)
    delete = _unless_down(_false)(RedisCache.delete)
    delete_many = _unless_down(_no_keys)(RedisCache.delete_many)
    unlink = _unless_down(_nothing)(RedisCache.unlink)
    clear = _unless_down(_false)(RedisCache.clear)
    inc = _unless_down(_nothing)(RedisCache.inc)
    dec = _unless_down(_nothing)(RedisCache.dec)
