"""Background jobs behind one function, enqueue(), and the worker that runs them.

With JOB_QUEUE_URL set (redis://...), a job goes to an RQ queue (JOB_QUEUE_NAME) and `flask
worker` runs it inside the app context. Without it (`make run`, most tests), the job runs at once
in this process, so nothing needs Redis. Call enqueue() after the commit that makes the job's rows
visible: a worker may start at once.

The worker is an RQ SimpleWorker: RQ 3's default worker starts each job in a fresh interpreter
(posix_spawn), which would build the app again for every job; this one pushes an app context
per job around RQ's own handling (timeouts, retries, the failed-job registry).

For metrics and readiness (another part's /readyz and /metrics): check(), queue_depth(),
failed_count().
"""

import logging
from datetime import timedelta

import redis
from flask import Flask, current_app
from rq import Queue, Retry, SimpleWorker
from rq.registry import FailedJobRegistry

log = logging.getLogger(__name__)

# Seconds between the tries of a job that may fail for a while (a provider down): 10 s, 1 min, 5 min.
BACKOFF = (10, 60, 300)


def init_app(app: Flask) -> None:
    """Bind an RQ queue to the app when JOB_QUEUE_URL is set (no connection is made here)."""
    url = app.config.get("JOB_QUEUE_URL")
    if not url:
        app.extensions.pop("job_queue", None)
        return
    connection = redis.Redis.from_url(
        url, socket_connect_timeout=app.config["JOB_QUEUE_TIMEOUT"],
        socket_timeout=app.config["JOB_QUEUE_TIMEOUT"])
    app.extensions["job_queue"] = Queue(app.config["JOB_QUEUE_NAME"], connection=connection)


def enqueue(function, *args, attempts: int = 1) -> None:
    """Run function(*args) in a worker, or here and now when no queue is configured.

    attempts > 1: a worker tries again after BACKOFF's waits when the job raises (in process it
    runs once). Raises redis.RedisError when the queue is configured but unreachable.
    """
    queue = current_app.extensions.get("job_queue")
    if queue is None:
        function(*args)
        return
    retry = None
    if attempts > 1:
        retry = Retry(max=attempts - 1, interval=list(BACKOFF[:attempts - 1]))
    queue.enqueue(function, *args, retry=retry)


def enqueue_later(delay: timedelta, function, *args) -> None:
    """Run function(*args) in a worker after `delay` (RQ's scheduler, which `flask worker`
    runs). Without a queue, nothing: the caller's work is picked up by its sweep instead.
    Never raises: a job for later is a convenience, the sweep is the guarantee."""
    queue = current_app.extensions.get("job_queue")
    if queue is None:
        return
    try:
        queue.enqueue_in(delay, function, *args)
    except redis.RedisError as error:
        log.warning("Could not schedule %s for later: %s", function.__name__, error)


def queue_or_none() -> Queue | None:
    """The app's RQ queue, or None when jobs run in process."""
    return current_app.extensions.get("job_queue")


def check() -> bool:
    """Readiness: True when no queue is configured or its Redis answers a PING."""
    queue = queue_or_none()
    if queue is None:
        return True
    try:
        return bool(queue.connection.ping())
    except redis.RedisError:
        return False


def queue_depth() -> int | None:
    """Jobs waiting in the queue (None: no queue configured, or Redis unreachable)."""
    queue = queue_or_none()
    if queue is None:
        return None
    try:
        return queue.count
    except redis.RedisError:
        return None


def failed_count() -> int | None:
    """Jobs that failed for good, kept in RQ's failed registry (None: no queue or unreachable)."""
    queue = queue_or_none()
    if queue is None:
        return None
    try:
        return FailedJobRegistry(queue=queue).count
    except redis.RedisError:
        return None


class AppWorker(SimpleWorker):
    """An RQ worker that runs each job inside a fresh app context of `app` (set by run_worker):
    jobs use db.session, config and templates as a request would, and the session is removed
    after each job."""

    app: Flask | None = None

    def execute_job(self, job, queue):
        with self.app.app_context():
            return super().execute_job(job, queue)


def run_worker(app: Flask, *, burst: bool = False) -> None:
    """Work the app's queue until stopped (or, burst, until it is empty)."""
    queue = app.extensions.get("job_queue")
    if queue is None:
        raise RuntimeError("JOB_QUEUE_URL is not set: jobs run in the web process; "
                           "there is nothing for a worker to do.")
    worker = type("OdopWorker", (AppWorker,), {"app": app})([queue], connection=queue.connection)
    # with_scheduler: moves jobs put off with enqueue_in (a mail retry) to the queue when due;
    # RQ lets one worker at a time do it, whatever the number of workers.
    worker.work(burst=burst, logging_level="INFO", with_scheduler=True)
