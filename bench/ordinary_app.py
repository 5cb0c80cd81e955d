"""An ordinary Flask-SQLAlchemy product detail page: what our product page is compared with.

    DATABASE_URL=... gunicorn --workers 2 --bind 127.0.0.1:8102 bench.ordinary_app:app

What a typical Flask app does for a detail page: one ORM get by primary key, then whatever the
template touches loaded lazily through the relationships (content, photos, seller, ODOP product,
district, state), rendered from a template file that extends a small layout. No cache, no
translations, no session. It reads the same database with the app's own models, and answers
the same `/products/<id>-<slug>` paths as the shop, so both take the same URL list.
"""

import os
from pathlib import Path

from flask import Flask, abort, render_template

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import Listing

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get(
    "DATABASE_URL", "sqlite:////tmp/odop-bench/1k.sqlite3").replace(
        "postgresql://", "postgresql+psycopg://", 1)
db.init_app(app)


@app.template_filter("rupees")
def rupees(paise: int) -> str:
    return f"₹{paise / 100:,.2f}"


@app.get("/products/<int:listing_id>-<slug>")
@app.get("/products/<int:listing_id>")
def product(listing_id: int, slug: str | None = None):
    listing = db.get_or_404(Listing, listing_id)
    if listing.live_content is None:
        abort(404)
    return render_template("ordinary_product.html", listing=listing,
                           content=listing.live_content)
