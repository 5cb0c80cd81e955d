"""The WSGI entry point: `gunicorn odop_bazaar.wsgi:app`, `flask --app odop_bazaar.wsgi ...`.

It works the same from a checkout and from an installed wheel, in any working directory. The
top-level wsgi.py (`gunicorn wsgi:app` in a checkout) is this module under its old name.
"""

import sys

from odop_bazaar import create_app, paths

try:
    app = create_app()
except paths.config.ConfigError as error:
    # One clear line, not a traceback, when production is started half-configured.
    sys.exit(str(error))
