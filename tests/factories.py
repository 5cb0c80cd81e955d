"""Small factory functions for test data. Each runs in its own app context and returns ids."""

from odop_bazaar.extensions import db
from odop_bazaar.models import District, OdopProduct, Role, State
from odop_bazaar.services import accounts

PASSWORD = "correct-horse-battery"


def make_user(app, role: Role = Role.BUYER, email: str | None = None, *, verified: bool = True,
              password: str = PASSWORD, locale: str | None = None) -> str:
    """Create an account; returns its email."""
    email = email or f"{role.value}-{make_user.counter}@example.com"
    make_user.counter += 1
    with app.app_context():
        accounts.create_user(email=email, password=password, full_name=f"Test {role.value}",
                             role=role, email_verified=verified, locale=locale)
    return email


make_user.counter = 1


def make_places(app) -> dict:
    """A small slice of the reference data: Uttar Pradesh with two districts, and Goa."""
    with app.app_context():
        up = State(lgd_code=9, name="Uttar Pradesh", lgd_name="UTTAR PRADESH", kind="State")
        goa = State(lgd_code=30, name="Goa", lgd_name="GOA", kind="State")
        moradabad = District(lgd_code=171, state=up, name="Moradabad", lgd_name="MORADABAD",
                             source="test")
        varanasi = District(lgd_code=187, state=up, name="Varanasi", lgd_name="VARANASI",
                            source="test")
        north_goa = District(lgd_code=551, state=goa, name="North Goa", lgd_name="NORTH GOA",
                             source="test")
        db.session.add_all([
            OdopProduct(district=moradabad, name="Metal Craft", name_key="metal craft",
                        sector="Handicraft", rank="Primary", gi_tagged=True,
                        district_spelling="Moradabad"),
            OdopProduct(district=varanasi, name="Banarasi Silk Sarees", name_key="banarasi silk sarees",
                        sector="Handloom", rank="Primary", gi_tagged=True,
                        district_spelling="Varanasi"),
            OdopProduct(district=varanasi, name="Wooden Lacquerware and Toys",
                        name_key="wooden lacquerware and toys", sector="Handicraft",
                        rank="Secondary", gi_tagged=False, district_spelling="Varanasi"),
            OdopProduct(district=north_goa, name="Cashew", name_key="cashew",
                        sector="Agriculture", rank="Primary", gi_tagged=True,
                        district_spelling="North Goa"),
        ])
        db.session.commit()
    return {"state": 9, "districts": (171, 187), "other_state": 30}
