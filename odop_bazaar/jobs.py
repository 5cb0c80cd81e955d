"""Background jobs behind one function, enqueue().

With JOB_QUEUE_URL set (redis://...), a job goes to an RQ queue and a worker process runs it.
Without it (`make run`, most tests), the job runs at once in this process, so nothing needs Redis.
Call enqueue() after the commit that makes the job's rows visible: a worker may start at once.
"""

from flask import current_app


def enqueue(function, *args) -> None:
    """Run function(*args) in a worker, or here and now when no queue is configured."""
    queue = current_app.extensions.get("job_queue")
    if queue is None:
        function(*args)
        return
    queue.enqueue(function, *args)
