"""Role decorators: the login page for visitors, 403 for the wrong role, never a 500."""

import pytest

from odop_bazaar.access import admin_required, buyer_required, seller_required, staff_required
from odop_bazaar.models import Role
from tests.conftest import log_in
from tests.factories import make_user

GUARDS = {"buyer": buyer_required, "seller": seller_required, "staff": staff_required,
          "admin": admin_required}

# Who may open a page guarded for each role (admins can do what staff can).
ALLOWED = {
    "buyer": {"buyer"},
    "seller": {"seller"},
    "staff": {"staff", "admin"},
    "admin": {"admin"},
}


@pytest.fixture
def guarded_app(app):
    for name, guard in GUARDS.items():
        app.add_url_rule(f"/_test/{name}", f"test_{name}", guard(lambda: "inside"))
    return app


@pytest.mark.parametrize("guard", list(GUARDS))
def test_anonymous_visitors_are_sent_to_log_in(guarded_app, guard):
    response = guarded_app.test_client().get(f"/_test/{guard}")
    assert response.status_code == 302
    assert response.location == f"/login?next=%2F_test%2F{guard}"


@pytest.mark.parametrize("guard", list(GUARDS))
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_reaches_only_its_pages(guarded_app, guard, role):
    client = guarded_app.test_client()
    log_in(client, make_user(guarded_app, role=Role(role)))
    response = client.get(f"/_test/{guard}")
    if role in ALLOWED[guard]:
        assert response.status_code == 200 and response.get_data(as_text=True) == "inside"
    else:
        assert response.status_code == 403
        assert "You cannot open this page" in response.get_data(as_text=True)


def test_account_pages_need_a_login(client):
    for path in ("/account", "/account/password"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login?next=")
