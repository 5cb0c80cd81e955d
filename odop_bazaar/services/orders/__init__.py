"""Orders: the cart, checkout, payments, refunds and fulfilment."""
