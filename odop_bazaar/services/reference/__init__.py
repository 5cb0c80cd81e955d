"""Reference data: the ODOP product list and LGD states and districts."""
