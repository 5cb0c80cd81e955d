"""Mail delivery latency through the outbox: from the commit that writes a message to the moment
a real SMTP server (aiosmtpd) has it, with `flask worker` as a separate process on Redis.

Run: .venv/bin/python bench/mail_latency.py [--messages 50] [--burst 200] [--database URL]
     [--redis redis://127.0.0.1:6379/0]
Uses a fresh SQLite file (or the PostgreSQL database URL given, whose tables it creates) and a
queue name of its own. Reports, one message at a time, the median, 95th percentile and worst
commit-to-delivered time; then the time for a burst of messages committed together to all
arrive (one SMTP connection per batch of 50). For comparison, the same one-at-a-time figure with
no queue (delivered in the web process right after the commit).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import select  # noqa: E402

from config import TestingConfig  # noqa: E402
from odop_bazaar import create_app  # noqa: E402
from odop_bazaar.extensions import db  # noqa: E402
from odop_bazaar.mail import send_mail  # noqa: E402
from odop_bazaar.models import OutboxMessage  # noqa: E402


class Arrivals:
    """aiosmtpd's handler: the time each message (by its subject) arrived."""

    def __init__(self):
        self.at, self.event = {}, threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        subject = next(line for line in envelope.content.decode().splitlines()
                       if line.startswith("Subject: ")).removeprefix("Subject: ")
        with self.event:
            self.at[subject] = time.perf_counter()
            self.event.notify_all()
        return "250 OK"

    def wait(self, subjects: set[str], timeout: float = 60) -> None:
        with self.event:
            if not self.event.wait_for(lambda: subjects <= self.at.keys(), timeout):
                raise TimeoutError(f"{len(subjects - self.at.keys())} messages never arrived")


def commit_messages(app, count: int, tag: str) -> tuple[float, set[str]]:
    """Write `count` messages in one transaction; (the time of the commit, their subjects)."""
    subjects = {f"{tag}-{n}" for n in range(count)}
    with app.app_context():
        for subject in subjects:
            send_mail("bench@example.com", subject, "A message for the benchmark.")
        started = time.perf_counter()
        db.session.commit()
    return started, subjects


def one_at_a_time(app, arrivals: Arrivals, messages: int, tag: str) -> list[float]:
    latencies = []
    for n in range(messages):
        committed, subjects = commit_messages(app, 1, f"{tag}{n}")
        arrivals.wait(subjects)
        latencies.append((arrivals.at[subjects.pop()] - committed) * 1000)
    return latencies


def report(name: str, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    print(f"{name}: median {statistics.median(ordered):.1f} ms, "  # noqa: T201
          f"p95 {ordered[int(len(ordered) * 0.95) - 1]:.1f} ms, worst {ordered[-1]:.1f} ms "
          f"({len(ordered)} messages)")


def start_worker(database: str, redis_url: str, queue: str, smtp_port: int) -> subprocess.Popen:
    env = {**os.environ, "ODOP_CONFIG": "development", "SECRET_KEY": "bench-secret",
           "DATABASE_URL": database, "JOB_QUEUE_URL": redis_url, "JOB_QUEUE_NAME": queue,
           "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port)}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--database", default=None)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="mail-bench-")
    database = args.database or f"sqlite:///{folder}/bench.sqlite3"
    arrivals = Arrivals()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(arrivals, hostname="127.0.0.1", port=port)
    smtp.start()
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    settings = {"SQLALCHEMY_DATABASE_URI": database, "MAIL_BACKEND": "smtp",
                "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}
    app = create_app(TestingConfig, JOB_QUEUE_URL=args.redis, JOB_QUEUE_NAME=queue, **settings)
    with app.app_context():
        db.create_all()
    worker = start_worker(database, args.redis, queue, port)
    try:
        time.sleep(3)  # the worker starts and listens
        one_at_a_time(app, arrivals, 3, "warm")
        report("Through the queue and the worker", one_at_a_time(app, arrivals, args.messages,
                                                                  "queued"))
        committed, subjects = commit_messages(app, args.burst, "burst")
        arrivals.wait(subjects, timeout=300)
        took = max(arrivals.at[s] for s in subjects) - committed
        print(f"A burst of {args.burst} committed together: all delivered in "  # noqa: T201
              f"{took * 1000:.0f} ms ({args.burst / took:.0f} messages/s)")
    finally:
        worker.terminate()
        worker.wait(timeout=15)
    in_process = create_app(TestingConfig, **settings)
    report("No queue (delivered in process after the commit)",
           one_at_a_time(in_process, arrivals, args.messages, "inproc"))
    with in_process.app_context():
        left = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.status != "sent"))
        assert left is None, "every message is marked sent"
        if args.database:
            OutboxMessage.__table__.drop(db.engine)
    smtp.stop()


if __name__ == "__main__":
    main()
