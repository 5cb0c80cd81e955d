"""Where the app's own files are: the checkout's top-level folders, or the copies a wheel carries.

The project keeps templates/, static/, migrations/ and config.py at the top of the repository,
beside this package (STYLE.md, "The house"). An installed wheel has no repository around it, so
the build (setup.py) copies them into the package as odop_bazaar/_bundle/. A checkout, and the
editable install the Makefile makes, use the originals: nothing is copied, so an edit to a
template shows at once.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLE_DIR = PACKAGE_DIR / "_bundle"
# config.py is the last file the build copies: with it there, the bundle is whole.
INSTALLED = (BUNDLE_DIR / "config.py").is_file()
ROOT = BUNDLE_DIR if INSTALLED else PACKAGE_DIR.parent

TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
MIGRATIONS = ROOT / "migrations"
# Reference data ships inside the package (package data), in a checkout and a wheel alike.
ODOP_DATA = PACKAGE_DIR / "data" / "odop"
HINDI_NAMES = ODOP_DATA / "hindi"  # states_hi.csv, districts_hi.csv, products_hi.csv

if INSTALLED:
    # Imported by its place in the package, so a config.py in the working directory (gunicorn
    # and flask put it first on sys.path) can never stand in for it.
    from odop_bazaar._bundle import config  # noqa: F401  (paths.config, for the app)
else:
    import config  # noqa: F401  (the checkout's top-level config.py)
