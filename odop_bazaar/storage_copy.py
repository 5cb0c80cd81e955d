"""flask copy-storage-to-s3: move a one-machine site's files into the buckets.

Run once when going from STORAGE_BACKEND=local to s3 (with the s3 settings in the environment and
--from naming the old folder); safe to run again: a key already in the bucket with the same size
is skipped, so an interrupted copy picks up where it stopped.
"""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from odop_bazaar.storage import LocalStorage, storage


def copy_area(source: LocalStorage, target) -> tuple[int, int]:
    """Copy every file of one area; (copied, already there)."""
    copied = skipped = 0
    for key in source.keys():
        if target.size(key) == source.size(key):
            skipped += 1
            continue
        target.save(key, source.read(key))
        copied += 1
    return copied, skipped


@click.command("copy-storage-to-s3")
@click.option("--from", "root", type=click.Path(file_okay=False, path_type=Path),
              help="The local storage folder (default: STORAGE_ROOT or instance/storage).")
@with_appcontext
def copy_storage_command(root: Path | None):
    """Copy local photos and documents into the configured S3 buckets (idempotent)."""
    if current_app.config["STORAGE_BACKEND"] != "s3":
        raise click.UsageError("Set STORAGE_BACKEND=s3 and the S3_* settings first.")
    root = root or Path(current_app.config["STORAGE_ROOT"] or
                        Path(current_app.instance_path) / "storage")
    if not root.is_dir():
        raise click.UsageError(f"No storage folder at {root}.")
    for area in ("public", "private"):
        copied, skipped = copy_area(LocalStorage(root / area), storage(area))
        click.echo(f"{area}: {copied} copied, {skipped} already there.")
