"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask command."""

import sys

from config import ConfigError
from odop_bazaar import create_app

try:
    app = create_app()
except ConfigError as error:
    sys.exit(str(error))
