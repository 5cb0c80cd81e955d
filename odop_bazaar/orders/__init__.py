"""Buying: one blueprint, a module per part.

cart (the cart, kept across sign-in), cart_count (the header's count, in a cookie), checkout
(the summary, the address and placing the order), routes (the card payment: the pay page, the
return from Stripe and Stripe's webhook), buyer_orders (the buyer's orders, cancelling,
invoices) and seller_orders (the seller's orders and payouts); buyer_returns and
seller_returns (returns after delivery).
"""

from flask import Blueprint

bp = Blueprint("orders", __name__)

from odop_bazaar.orders import (  # noqa: E402,F401
    buyer_orders,
    buyer_returns,
    cart,
    cart_count,
    checkout,
    routes,
    seller_orders,
    seller_returns,
)
