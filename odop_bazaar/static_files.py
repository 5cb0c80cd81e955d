"""Static files a phone keeps: every static URL carries a hash of the file's content, and a
request for that exact version may be cached for a year. A new deployment changes the hash,
so nobody is left with an old stylesheet; without it, every page made cheap phones on slow
connections ask again for the CSS and script."""

import hashlib
from pathlib import Path

from flask import Flask, request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
# Fonts are named by the stylesheet, which cannot carry the hash; a new font arrives under a new
# file name (they are named by family, script and weight), so a week is safe.
FONT_MAX_AGE = 7 * 24 * 3600


def init_app(app: Flask) -> None:
    versions: dict[str, str] = {}

    def version_of(filename: str) -> str | None:
        # Files do not change under a running production app; in debug they may, so look again.
        # Only files that exist are remembered: any visitor can ask for /static/<anything>.
        if filename in versions and not app.debug:
            return versions[filename]
        path = safe_join(app.static_folder, filename)
        try:
            content = Path(path).read_bytes() if path else None
        except OSError:
            content = None
        if not content:
            return None
        versions[filename] = hashlib.sha256(content).hexdigest()[:12]
        return versions[filename]

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            version = version_of(values["filename"])
            if version:
                values["v"] = version

    default_max_age = app.get_send_file_max_age

    def max_age(filename: str | None) -> int | None:
        # Only the version the URL names is kept long: an old or missing hash is revalidated.
        wanted = request.args.get("v")
        if filename and wanted and wanted == version_of(filename):
            return YEAR
        if filename and filename.startswith("fonts/") and filename.endswith(".woff2"):
            return FONT_MAX_AGE
        return default_max_age(filename)

    app.get_send_file_max_age = max_age
