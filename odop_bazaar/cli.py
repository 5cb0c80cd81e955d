"""Command-line tasks: flask import-odop, flask create-user, flask create-api-token,
flask seed-demo; the timed jobs of schedule.py, one command each (for cron where there is no
job queue); flask worker."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from odop_bazaar import jobs, schedule
from odop_bazaar.devdata import demo
from odop_bazaar.extensions import db
from odop_bazaar.models import OdopProduct, Role, User
from odop_bazaar.models.api_access import ApiScope
from odop_bazaar.services.accounts import api_tokens, queries, users
from odop_bazaar.services.catalogue import search, shop_listings
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.reference import hindi_names, odop_list
from odop_bazaar.services.reference.odop_csv import SHIPPED_PRODUCTS, BadReferenceFile


@click.command("import-odop")
@with_appcontext
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--if-empty", is_flag=True, help="Only import when the database has no products.")
@click.option("--dry-run", is_flag=True, help="Report what would change, and change nothing.")
@click.option("--allow-mass-retire", is_flag=True,
              help="Apply a list even though it retires most of the products now listed.")
@click.option("--hindi-names", "hindi_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder of the Hindi names' CSV files (default: the shipped "
              "data/odop/hindi).")
def import_odop_command(path, if_empty, dry_run, allow_mass_retire, hindi_dir):
    """Import the national ODOP list (the shipped copy, or PATH: a newer official CSV), then
    the Hindi names of its places and products."""
    if if_empty and db.session.scalar(select(func.count()).select_from(OdopProduct)):
        click.echo("ODOP reference data is already loaded; nothing to do.")
        _apply_hindi_names(hindi_dir)  # an older database gets the names all the same
        return
    path = path or SHIPPED_PRODUCTS
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"Cannot read {path}: {error.strerror}") from error
    try:
        report = odop_list.import_odop_list(
            raw, path.name, imported_by="flask import-odop", dry_run=dry_run,
            allow_mass_retire=allow_mass_retire)
    except BadReferenceFile as error:
        raise click.ClickException(f"{error} Nothing was changed.") from error
    for line in report.lines():
        click.echo(line)
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    elif not report.changes_anything:
        click.echo("The database already matches this list; nothing was changed.")
    if not dry_run:
        _apply_hindi_names(hindi_dir)


def _apply_hindi_names(directory: Path | None) -> None:
    report = hindi_names.apply_names(directory)
    for line in report.lines():
        click.echo(line)


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.BUYER.value,
              show_default=True)
@click.option("--name", "full_name", default=None, help="Full name (defaults to the email's name).")
@click.option("--password", default=None, help="For scripts; prompted for when left out.")
def create_user_command(email, role, full_name, password):
    """Create an account, e.g. the first staff reviewer: flask create-user --role staff EMAIL."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(
            email=email, password=password, full_name=full_name or email.split("@")[0],
            role=Role(role), email_verified=True, all_india=True)
    except users.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} account {user.email}.")
    if user.role == Role.STAFF:
        click.echo("It works on all of India; an admin can limit it to states or districts at "
                   "/staff/users.")


@click.command("create-api-token")
@with_appcontext
@click.option("--email", required=True, help="The account the token acts as.")
@click.option("--name", required=True, help="So the person can tell it apart on their page.")
@click.option("--scope", "scopes", multiple=True, required=True,
              type=click.Choice([scope.value for scope in ApiScope]),
              help="What it may do; repeat for more than one.")
@click.option("--days", type=click.Choice([str(d) for d in api_tokens.EXPIRY_CHOICES_DAYS]),
              default="30", show_default=True, help="Days until it expires.")
def create_api_token_command(email, name, scopes, days):
    """Make a personal access token and print only its secret (shown this once)."""
    user = queries.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}.")
    try:
        created = api_tokens.create_token(user, name=name, scopes=list(scopes),
                                          expires_in_days=int(days))
    except FieldErrors as error:
        raise click.ClickException(" ".join(error.messages())) from error
    click.echo(created.secret)


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only add demo data when there are no accounts.")
def seed_demo_command(if_empty):
    """Add demo accounts (and, as features land, sellers, listings and orders) for a first look."""
    if current_app.config["CONFIG_NAME"] == "production":
        raise click.ClickException("Demo data is not for a production database.")
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already has accounts; no demo data added.")
        return
    demo.seed(echo=click.echo)


@click.command("bench-data")
@with_appcontext
@click.option("--listings", "count", type=click.IntRange(1, 1_000_000), default=1000,
              show_default=True)
@click.option("--pending", type=click.IntRange(0, 100_000), default=0, show_default=True,
              help="New listings waiting for review, for the benchmark's writer to approve.")
def bench_data_command(count, pending):
    """Fill the database with realistic sellers and live listings for bench/ (not production)."""
    if current_app.config["CONFIG_NAME"] == "production":
        raise click.ClickException("Benchmark data is not for a production database.")
    from odop_bazaar.devdata import bench_data

    try:
        made = bench_data.generate(count, pending=pending, echo=click.echo)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Added {made} listings.")


@click.command("reindex-search")
@with_appcontext
def reindex_search_command():
    """Write every live listing's search document and shop row again (after bulk changes)."""
    count = search.rebuild_index()
    on_shop = shop_listings.rebuild()
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} listings; {on_shop} on the shop.")


@click.command("expire-unpaid-orders")
@with_appcontext
def expire_unpaid_orders_command():
    """Release the stock of card orders not paid in time (PAYMENT_TIMEOUT_MINUTES)."""
    click.echo(schedule.expire_unpaid_orders())


@click.command("retry-refunds")
@with_appcontext
def retry_refunds_command():
    """Send refunds still pending because the payment provider could not be reached."""
    click.echo(schedule.retry_refunds())


@click.command("post-settlements")
@with_appcontext
def post_settlements_command():
    """Credit sellers for delivered orders whose return window has passed."""
    click.echo(schedule.post_settlements())


@click.command("prune-shop-changes")
@with_appcontext
def prune_shop_changes_command():
    """Delete change-log rows older than SHOP_CHANGES_KEEP_SECONDS (writers also do it now and
    then)."""
    click.echo(schedule.prune_shop_changes())


@click.command("deliver-mail")
@with_appcontext
def deliver_mail_command():
    """Send the outbox's mail that is due (and put back mail a dead worker left half-sent)."""
    click.echo(schedule.sweep_outbox())


@click.command("forget-idempotency-keys")
@with_appcontext
def forget_idempotency_keys_command():
    """Delete the API's Idempotency-Key answers older than a day (kept for retries)."""
    click.echo(schedule.forget_idempotency_keys())


@click.command("forget-kept-uploads")
@with_appcontext
def forget_kept_uploads_command():
    """Delete the documents kept for a seller's next try once their day is over."""
    click.echo(schedule.forget_kept_uploads())


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst):
    """Run background jobs from JOB_QUEUE_URL's queue, each in the app context."""
    try:
        jobs.run_worker(current_app._get_current_object(), burst=burst)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error


@click.command("job-scheduler")
@with_appcontext
def job_scheduler_command():
    """Put the timed jobs (odop_bazaar/schedule.py) on the queue when they are due; run one."""
    try:
        schedule.run_scheduler(current_app._get_current_object())
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error


def init_app(app: Flask) -> None:
    for command in (import_odop_command, create_user_command, create_api_token_command,
                    seed_demo_command,
                    reindex_search_command, bench_data_command, expire_unpaid_orders_command,
                    retry_refunds_command, post_settlements_command,
                    prune_shop_changes_command, deliver_mail_command,
                    forget_idempotency_keys_command, forget_kept_uploads_command,
                    worker_command,
                    job_scheduler_command):
        app.cli.add_command(command)
