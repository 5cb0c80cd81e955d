"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask command, in a checkout.

The app itself is made in odop_bazaar/wsgi.py, which an installed wheel carries too
(`gunicorn odop_bazaar.wsgi:app`).
"""

from odop_bazaar.wsgi import app

__all__ = ["app"]
