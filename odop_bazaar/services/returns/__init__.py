"""Returns after delivery, one module per part.

    requests.py   the buyer asks for a return (writes)
    decisions.py  the seller accepts, refuses or receives it; staff decide an escalated refusal
    refunding.py  the money or the exchange once the units are back (or not worth returning)
    queries.py    reads for buyers, sellers, staff and other services (never commit);
                  returned_quantities() is public for the reviews
"""
