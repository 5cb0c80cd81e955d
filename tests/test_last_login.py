"""Staff see when an account last logged in: also after registering (which logs the person in)
and when a "keep me logged in" cookie brings them back, not only after typing a password."""

import re
from datetime import timedelta

from sqlalchemy import select

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import Role, User
from tests.conftest import log_in, submit
from tests.factories import PASSWORD, make_user


def _user(app, email) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def _last_log_in_shown(app, email) -> str:
    admin = app.test_client()
    log_in(admin, make_user(app, Role.ADMIN))
    page = admin.get(f"/staff/users/{_user(app, email).id}").get_data(as_text=True)
    return re.search(r"<dt>Last log-in</dt><dd>([^<]*)</dd>", page).group(1)


def test_a_seller_who_registered_and_used_the_site_has_logged_in(app, client):
    response = submit(client, "/register", {
        "account_type": "seller", "full_name": "Meera Devi", "email": "meera@example.com",
        "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert client.get("/seller/onboarding").status_code == 200
    assert _last_log_in_shown(app, "meera@example.com") != "Never"


def test_coming_back_with_the_keep_me_logged_in_cookie_counts_as_a_log_in(app, client):
    email = make_user(app, Role.SELLER)
    response = submit(client, "/login", {"email": email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    with app.app_context():  # the password log-in was long ago
        user = db.session.scalar(select(User).where(User.email == email))
        user.last_login_at = long_ago = utcnow() - timedelta(days=20)
        db.session.commit()
    # The browser was closed: the session cookie is gone, the remember cookie stays.
    client.delete_cookie("session")
    assert client.get("/seller/onboarding").status_code == 200
    assert _user(app, email).last_login_at > long_ago + timedelta(days=19)
    assert _last_log_in_shown(app, email) != "Never"
