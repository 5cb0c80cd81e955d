"""Redis for the shared-cache tests: the one on 127.0.0.1:6379, a redis-server of a test's own
that it may stop, and a port where something accepts connections but never answers."""

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest
import redis

from tests.conftest import free_port

SHARED_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def skip_or_fail(flag: str, reason: str) -> None:
    """Skip, or fail when CI has set `flag`=1 (there a missing service must not pass as a skip)."""
    if os.environ.get(flag) == "1":
        pytest.fail(f"{flag}=1: {reason}", pytrace=False)
    pytest.skip(reason)


def answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def keys_under(url: str, namespace: str) -> list[bytes]:
    """The keys the app has written under its namespace (any code version)."""
    return list(redis.Redis.from_url(url).scan_iter(f"{namespace}:*"))


def forget(url: str, namespace: str) -> None:
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{namespace}:*"):
        client.delete(key)


@contextlib.contextmanager
def redis_server():
    """A redis-server of this test's own on a free port, with nothing saved to disk.

    Yields a controller whose stop() kills it and start() starts it again on the same port."""
    executable = shutil.which("redis-server")
    if executable is None:
        skip_or_fail("ODOP_REQUIRE_REDIS", "redis-server is not installed "
                                           "(apt-get install redis-server)")
    server = _OwnRedis(executable, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


class _OwnRedis:
    def __init__(self, executable: str, port: int):
        self.executable, self.port = executable, port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not answers(self.url):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


class SilentListener:
    """A port that accepts every connection and never answers: a Redis that hangs, the
    costliest way for it to fail. Counts the connections made to it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.socket.getsockname()[1]}/0"
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, name="silent-redis", daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections.append(connection)

    def __enter__(self) -> "SilentListener":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone may not.
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()
        self.thread.join(timeout=5)
        for connection in self.connections:
            connection.close()


def redis_client(url: str) -> redis.Redis:
    """A client that gives up at once, as the app's own do (config.JOB_QUEUE_TIMEOUT)."""
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
