"""The timed jobs, and `flask job-scheduler`, which puts each on the job queue when it is due.

Scheduling is RQ's own (rq.cron.CronScheduler, RQ >= 2.5): no second package to keep in step
with RQ (rq-scheduler) and no crontab on each machine; the schedule is here, in code, reviewed
like the rest. Run one `flask job-scheduler` per deployment. Two by mistake (or a job that
overruns its interval) do no harm: every job here is safe to run twice at once, each row moved
by a compare-and-set that only one run wins (see tests/test_scheduled_jobs.py).

Without a queue (development), run the same jobs from cron through their commands:
`flask expire-unpaid-orders`, `flask retry-refunds`, `flask post-settlements`,
`flask prune-shop-changes`, `flask deliver-mail`, `flask forget-idempotency-keys`,
`flask forget-kept-uploads`.
"""

from flask import Flask, current_app

from odop_bazaar.extensions import db


def expire_unpaid_orders() -> str:
    """Release the stock of card orders not paid in time. A job."""
    from odop_bazaar.services.orders import fulfilment

    expired, paid = fulfilment.expire_unpaid()
    return f"Expired {expired} unpaid checkouts; {paid} turned out to be paid."


def retry_refunds() -> str:
    """Send card refunds still pending because Stripe could not be reached. A job."""
    from odop_bazaar.services.orders import refunds

    return f"Refunds sent: {refunds.retry_refunds()}."


def post_settlements() -> str:
    """Credit sellers for delivered orders whose return window has passed. A job."""
    from odop_bazaar.services.settlements import payouts

    written = payouts.post_due_credits(
        return_window_days=current_app.config["RETURN_WINDOW_DAYS"])
    return f"Ledger entries written: {written}."


def prune_shop_changes() -> str:
    """Delete shop change-log rows older than SHOP_CHANGES_KEEP_SECONDS. A job."""
    from odop_bazaar.services.catalogue import shop_changes

    pruned = shop_changes.prune()
    db.session.commit()
    return f"Shop changes pruned: {pruned}."


def sweep_outbox() -> str:
    """Deliver the mail that is due (retries, and mail the queue never heard of). A job."""
    from odop_bazaar.services import outbox

    return f"Mail sent: {outbox.sweep()}."


def requeue_photos() -> str:
    """Queue again the listing photos still processing (a lost job, or no queue at upload)."""
    from odop_bazaar.services.catalogue import photo_jobs

    return f"Photos queued again: {photo_jobs.requeue_processing()}."


def forget_idempotency_keys() -> str:
    """Delete the API's Idempotency-Key answers once they are no longer replayed. A job."""
    from odop_bazaar.api import idempotency

    return f"Idempotency keys forgotten: {idempotency.forget_old_keys()}."


def forget_kept_uploads() -> str:
    """Delete the documents kept for a seller's next try that nobody came back for. A job."""
    from odop_bazaar.services.sellers import kept

    return f"Kept uploads deleted: {kept.forget_old()}."


# Each job with its interval in seconds, or a cron line (UTC: 20:30 UTC is 02:00 in India).
SCHEDULE = (
    (sweep_outbox, {"interval": 60}),
    (expire_unpaid_orders, {"interval": 300}),
    (retry_refunds, {"interval": 900}),
    (requeue_photos, {"interval": 600}),
    (forget_idempotency_keys, {"interval": 3600}),
    (forget_kept_uploads, {"interval": 3600}),
    (post_settlements, {"cron": "30 20 * * *"}),
    (prune_shop_changes, {"cron": "0 21 * * *"}),
)


def run_scheduler(app: Flask) -> None:
    """Put each job of SCHEDULE on the app's queue when it is due, until stopped."""
    from rq.cron import CronScheduler

    queue = app.extensions.get("job_queue")
    if queue is None:
        raise RuntimeError("JOB_QUEUE_URL is not set: run the jobs from cron through their "
                           "commands instead (see odop_bazaar/schedule.py).")
    scheduler = CronScheduler(connection=queue.connection)
    for function, when in SCHEDULE:
        scheduler.register(function, queue.name, **when)
    scheduler.start()
