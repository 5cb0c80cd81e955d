from flask import abort, current_app, redirect, render_template, url_for

from odop_bazaar.services import storefront
from odop_bazaar.shop import bp


@bp.get("/products/<id:listing_id>", defaults={"slug": None})
@bp.get("/products/<id:listing_id>-<slug>")
def product(listing_id: int, slug: str | None):
    page = storefront.product_page(listing_id)
    if page is None:
        abort(404)
    if slug != page.slug:
        # One address per product, whatever the title was when the link was shared.
        return redirect(url_for("shop.product", listing_id=listing_id, slug=page.slug), 301)
    return render_template("shop/product.html", page=page,
                           return_days=current_app.config["RETURN_WINDOW_DAYS"],
                           dispatch_days=current_app.config["DISPATCH_DAYS"])
