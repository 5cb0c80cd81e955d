"""File storage behind one small interface: this machine's disk, or an S3-compatible store.

Two areas: "private" (seller documents, return photos; only ever served through an access-checked
view) and "public" (product photos). Keys are chosen by the caller and reveal nothing about the
content. STORAGE_BACKEND=local keeps both under STORAGE_ROOT (one machine only); s3 puts them in
S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET (storage_s3.py), which every app machine shares.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app


class Storage(Protocol):
    def save(self, key: str, data: bytes) -> None: ...
    def open(self, key: str) -> BinaryIO: ...
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def size(self, key: str) -> int | None: ...
    def check(self) -> None: ...
    def keys(self, prefix: str = "") -> Iterator[str]: ...


class LocalStorage:
    """Files under a folder on this machine (by default under instance/)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key or key.startswith(("/", ".")) or ".." in key or "\\" in key:
            raise ValueError(f"unsafe storage key {key!r}")
        return self.root / key

    def save(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file and rename, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        """The file, open for reading; FileNotFoundError when there is none."""
        return self._path(key).open("rb")

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int | None:
        """The file's size in bytes, or None when there is none."""
        path = self._path(key)
        return path.stat().st_size if path.is_file() else None

    def check(self) -> None:
        """Raise when the folder cannot be written (the readiness probe)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise PermissionError("the storage folder is not writable")

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every stored key (not the half-written temporary files); only those in the folder
        `prefix` names, when given."""
        for path in sorted((self._path(prefix) if prefix else self.root).rglob("*")):
            if path.is_file() and not path.name.startswith(".upload-"):
                yield path.relative_to(self.root).as_posix()


def init_app(app: Flask) -> None:
    backend = app.config["STORAGE_BACKEND"]
    if backend == "local":
        root = Path(app.config["STORAGE_ROOT"] or Path(app.instance_path) / "storage")
        areas = {"private": LocalStorage(root / "private"), "public": LocalStorage(root / "public")}
    elif backend == "s3":
        areas = _s3_areas(app.config)
    else:
        raise ValueError(f"STORAGE_BACKEND must be 'local' or 's3', not {backend!r}")
    app.extensions["storage"] = areas
    from odop_bazaar.storage_copy import copy_storage_command

    app.cli.add_command(copy_storage_command)


def _s3_areas(config) -> dict:
    from odop_bazaar.storage_s3 import S3Storage, make_client

    missing = [name for name in ("S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET") if not config.get(name)]
    if missing:
        raise ValueError(f"STORAGE_BACKEND=s3 needs {' and '.join(missing)}")
    client = make_client(config)
    return {"private": S3Storage(client, config["S3_PRIVATE_BUCKET"], public=False),
            "public": S3Storage(client, config["S3_PUBLIC_BUCKET"], public=True)}


def storage(area: str) -> Storage:
    """The store for an area: 'private' or 'public'."""
    return current_app.extensions["storage"][area]


def check() -> None:
    """Raise when either area's store does not answer (for /readyz)."""
    for store in current_app.extensions["storage"].values():
        store.check()


def public_url_prefix() -> str | None:
    """Where browsers fetch public photos from when not through the app: MEDIA_URL, a bucket's
    address or a CDN in front of it (None: through the app's /media/ route)."""
    media_url = current_app.config.get("MEDIA_URL")
    return media_url.rstrip("/") + "/" if media_url else None
