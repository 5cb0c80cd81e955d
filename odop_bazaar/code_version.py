"""The version of the code that renders pages, so that a shared cache never serves old markup.

Rendered parts kept in Redis outlive a deploy. Every cache key therefore starts with this
version (cache_backends.init_app), and new code never reads parts the old code rendered.

It is ODOP_CODE_VERSION from the environment when set (config.py's CODE_VERSION: a release tag
or git sha), or else a hash of what pages are made from: the Python package (with its compiled
translations), the templates, the static files (their URLs carry their content's hash) and
config.py. The hash reads contents and paths relative to the project, never times, so every
machine with the same code agrees.
"""

import hashlib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("odop_bazaar", "templates", "static", "config.py")
# Written by Python beside the code; not what it says.
_IGNORED_PARTS = {"__pycache__"}
_IGNORED_SUFFIXES = {".pyc", ".pyo"}


def _files(root: Path):
    for source in SOURCES:
        path = root / source
        candidates = [path] if path.is_file() else path.rglob("*")
        for candidate in candidates:
            if (candidate.is_file() and candidate.suffix not in _IGNORED_SUFFIXES
                    and not _IGNORED_PARTS.intersection(candidate.parts)):
                yield candidate


def content_hash(root: Path = ROOT) -> str:
    """A short hash of the code under root (paths and contents, in a fixed order)."""
    digest = hashlib.sha256()
    for path in sorted(_files(root), key=lambda path: path.relative_to(root).as_posix()):
        name = path.relative_to(root).as_posix().encode()
        content = path.read_bytes()
        # Lengths first, so no two different trees can feed the hash the same bytes.
        digest.update(f"{len(name)}:{len(content)}:".encode() + name + content)
    return digest.hexdigest()[:16]


@cache
def code_version() -> str:
    """The hash of the code this process runs, computed once (about 10 ms)."""
    return content_hash()
