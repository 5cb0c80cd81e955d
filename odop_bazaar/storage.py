"""File storage behind one small interface, so that an S3-compatible store is a configuration change.

Two areas: "private" (seller documents; only ever served through an access-checked view) and
"public" (product photos). Keys are chosen by the caller and reveal nothing about the content.
"""

import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app


class Storage(Protocol):
    def save(self, key: str, data: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


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

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


def init_app(app: Flask) -> None:
    backend = app.config["STORAGE_BACKEND"]
    if backend != "local":
        raise ValueError(f"STORAGE_BACKEND {backend!r} is not available; use 'local'")
    root = Path(app.config["STORAGE_ROOT"] or Path(app.instance_path) / "storage")
    app.extensions["storage"] = {
        "private": LocalStorage(root / "private"),
        "public": LocalStorage(root / "public"),
    }


def storage(area: str) -> Storage:
    """The store for an area: 'private' or 'public'."""
    return current_app.extensions["storage"][area]
