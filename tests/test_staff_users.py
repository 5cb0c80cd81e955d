"""Accounts for administrators: adding staff and the places they work on, suspending and
reinstating people, roles; every change audited, and nobody but admins on these pages."""

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Role, Seller, StaffScope, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.services.accounts import users
from tests.conftest import check_access, csrf_token, log_in, submit
from tests.factories import PASSWORD, make_places, make_seller, make_user

NEW_PASSWORD = "lanterns-over-the-ghats"


def user_row(app, email) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def user_audit(app, user_id=None) -> list[tuple]:
    """The account changes written to the audit log: (object id, action, from, to, note)."""
    with app.app_context():
        query = select(AuditEntry.object_id, AuditEntry.action, AuditEntry.from_status,
                       AuditEntry.to_status, AuditEntry.note).where(
            AuditEntry.object_type == "user").order_by(AuditEntry.id)
        if user_id is not None:
            query = query.where(AuditEntry.object_id == user_id)
        return [tuple(row) for row in db.session.execute(query)]


def scopes_of(app, user_id) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(StaffScope.state_lgd_code, StaffScope.district_lgd_code)
            .where(StaffScope.user_id == user_id).order_by(StaffScope.id))]


def link_in(message) -> str:
    return urlsplit(re.search(r"https?://\S+", message.get_content()).group(0)).path


def admin_client(app):
    client = app.test_client()
    log_in(client, make_user(app, Role.ADMIN, email="chief@example.com"))
    return client


def scoped_reviewer(app, email="reviewer@example.com", district=187) -> int:
    """A staff reviewer who works on one district; their id."""
    make_user(app, Role.STAFF, email=email)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.all_india = False
        user.scopes.append(StaffScope(district_lgd_code=district))
        db.session.commit()
        return user.id


def applicants(app) -> dict[str, int]:
    """One seller waiting for review in Varanasi and one in North Goa."""
    make_places(app)
    found = {}
    for name, district, product in (("Varanasi", 187, "Banarasi Silk Sarees"),
                                    ("Goa", 551, "Cashew")):
        _, seller_id = make_seller(app, "submitted", district=district, product_names=(product,))
        with app.app_context():
            db.session.get(Seller, seller_id).legal_name = f"{name} applicant"
            db.session.commit()
        found[name] = seller_id
    return found


def test_an_admin_adds_a_reviewer_for_one_district_and_removing_it_leaves_them_nothing(
        app, outbox):
    sellers = applicants(app)
    admin = admin_client(app)
    form = admin.get("/staff/users/new")
    assert form.status_code == 200 and "Add a staff account" in form.get_data(as_text=True)
    response = submit(admin, "/staff/users/new", {"full_name": "Rekha Rao",
                                                  "email": "Rekha.Rao@Example.com",
                                                  "role": "staff"})
    assert response.status_code == 303
    rekha = user_row(app, "rekha.rao@example.com")
    assert response.location == f"/staff/users/{rekha.id}"
    assert rekha.role == "staff" and not rekha.all_india and scopes_of(app, rekha.id) == []
    message = outbox[-1]
    assert message["To"] == "rekha.rao@example.com" and "/reset-password/" in link_in(message)
    assert "staff account" in message["Subject"]
    assert "made you an ODOP Bazaar staff account" in message.get_content()
    assert "asked to reset" not in message.get_content()
    page = admin.get(f"/staff/users/{rekha.id}").get_data(as_text=True)
    assert "this reviewer sees nothing until you add one" in page

    assert submit(admin, f"/staff/users/{rekha.id}/places", {"state": "9", "district": "187"},
                  token_from=f"/staff/users/{rekha.id}").status_code == 303
    assert scopes_of(app, rekha.id) == [(None, 187)]
    assert "Varanasi, Uttar Pradesh" in admin.get(f"/staff/users/{rekha.id}").get_data(
        as_text=True)
    listed = admin.get("/staff/users?role=staff").get_data(as_text=True)
    assert "Rekha Rao" in listed and "Varanasi, Uttar Pradesh" in listed

    # Rekha sets her password from the email and works on Varanasi only.
    reviewer = app.test_client()
    path = link_in(message)
    assert submit(reviewer, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
                  ).status_code == 302
    log_in(reviewer, "rekha.rao@example.com", NEW_PASSWORD)
    queue = reviewer.get("/staff/sellers").get_data(as_text=True)
    assert "Varanasi applicant" in queue and "Goa applicant" not in queue
    assert reviewer.get(f"/staff/sellers/{sellers['Varanasi']}").status_code == 200
    assert reviewer.get(f"/staff/sellers/{sellers['Goa']}").status_code == 404

    # The last place goes: she sees nothing (not everything), in the session she has open.
    with app.app_context():
        scope_id = db.session.scalar(select(StaffScope.id).where(
            StaffScope.user_id == rekha.id))
    assert submit(admin, f"/staff/users/{rekha.id}/places/{scope_id}/remove", {},
                  token_from=f"/staff/users/{rekha.id}").status_code == 303
    assert scopes_of(app, rekha.id) == []
    assert "Place removed." in admin.get(f"/staff/users/{rekha.id}").get_data(as_text=True)
    # A second press (a double click, a reload) removes nothing and says nothing was removed.
    again = submit(admin, f"/staff/users/{rekha.id}/places/{scope_id}/remove", {},
                   token_from=f"/staff/users/{rekha.id}")
    assert again.status_code == 303
    assert "Place removed." not in admin.get(again.location).get_data(as_text=True)
    queue = reviewer.get("/staff/sellers").get_data(as_text=True)
    assert "No seller is waiting for review" in queue
    assert "Varanasi applicant" not in queue and "Goa applicant" not in queue
    assert reviewer.get(f"/staff/sellers/{sellers['Varanasi']}").status_code == 404

    assert [(action, to) for _id, action, _from, to, _note in user_audit(app, rekha.id)] == [
        ("created", "staff"), ("scope", None), ("scope", None)]
    notes = [note for *_rest, note in user_audit(app, rekha.id)]
    assert "Varanasi" in notes[1] and "added" in notes[1]
    assert "Varanasi" in notes[2] and "removed" in notes[2]


def test_a_whole_state_covers_all_its_districts(app):
    sellers = applicants(app)
    reviewer_id = scoped_reviewer(app, district=551)
    admin = admin_client(app)
    submit(admin, f"/staff/users/{reviewer_id}/places", {"state": "9", "district": ""},
           token_from=f"/staff/users/{reviewer_id}")
    submit(admin, f"/staff/users/{reviewer_id}/places", {"state": "9", "district": ""},
           token_from=f"/staff/users/{reviewer_id}")  # a double click adds it once
    assert scopes_of(app, reviewer_id) == [(None, 551), (9, None)]
    reviewer = app.test_client()
    log_in(reviewer, "reviewer@example.com")
    queue = reviewer.get("/staff/sellers").get_data(as_text=True)
    assert "Varanasi applicant" in queue and "Goa applicant" in queue
    assert all(reviewer.get(f"/staff/sellers/{seller_id}").status_code == 200
               for seller_id in sellers.values())
    assert "Uttar Pradesh (whole state)" in admin.get(
        f"/staff/users/{reviewer_id}").get_data(as_text=True)


@pytest.mark.parametrize("state, district, message", [
    ("30", "187", "Choose a district of Goa"),  # Varanasi is in Uttar Pradesh
    ("", "187", "Choose a state from the list"),
    ("99", "", "Choose a state from the list"),
    ("9", "99999", "Choose a district of Uttar Pradesh"),
])
def test_a_place_that_does_not_fit_is_refused_and_nothing_is_added(app, state, district,
                                                                    message):
    make_places(app)
    reviewer_id = scoped_reviewer(app, district=551)
    admin = admin_client(app)
    response = submit(admin, f"/staff/users/{reviewer_id}/places",
                      {"state": state, "district": district},
                      token_from=f"/staff/users/{reviewer_id}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert scopes_of(app, reviewer_id) == [(None, 551)]
    assert user_audit(app, reviewer_id) == []


def test_a_suspended_buyer_is_logged_out_and_cannot_log_in_until_reinstated(app):
    buyer_email = make_user(app, Role.BUYER)
    buyer_id = user_row(app, buyer_email).id
    buyer = app.test_client()
    log_in(buyer, buyer_email)
    assert buyer.get("/account").status_code == 200
    admin = admin_client(app)

    response = submit(admin, f"/staff/users/{buyer_id}/status",
                      {"reason": "Orders refused at the door, again", "suspend": "1"},
                      token_from=f"/staff/users/{buyer_id}")
    assert response.status_code == 303
    page = admin.get(f"/staff/users/{buyer_id}").get_data(as_text=True)
    assert "Suspended since" in page and "Orders refused at the door, again" in page
    assert "Suspended" in admin.get("/staff/users?suspended=y").get_data(as_text=True)

    # The session the buyer has open ends at their next request.
    ended = buyer.get("/account")
    assert ended.status_code == 302 and ended.location.startswith("/login")
    refused = submit(app.test_client(), "/login", {"email": buyer_email, "password": PASSWORD})
    assert refused.status_code == 422
    assert "This account is suspended" in refused.get_data(as_text=True)
    wrong = submit(app.test_client(), "/login", {"email": buyer_email, "password": "not-it-at-all"})
    assert wrong.status_code == 422
    assert "suspended" not in wrong.get_data(as_text=True)
    assert "The email address or password is not right" in wrong.get_data(as_text=True)

    assert submit(admin, f"/staff/users/{buyer_id}/status",
                  {"reason": "Spoke to the buyer", "reinstate": "1"},
                  token_from=f"/staff/users/{buyer_id}").status_code == 303
    again = app.test_client()
    log_in(again, buyer_email)
    assert again.get("/account").status_code == 200
    assert [(action, before, after, note) for _id, action, before, after, note
            in user_audit(app, buyer_id)] == [
        ("status", "active", "suspended", "Orders refused at the door, again"),
        ("status", "suspended", "active", "Spoke to the buyer")]


def test_a_refused_log_in_to_a_suspended_account_is_not_shown_as_a_log_in(app):
    buyer_email = make_user(app, Role.BUYER)
    buyer_id = user_row(app, buyer_email).id
    admin = admin_client(app)
    submit(admin, f"/staff/users/{buyer_id}/status", {"reason": "Fraud", "suspend": "1"},
           token_from=f"/staff/users/{buyer_id}")
    submit(app.test_client(), "/login", {"email": buyer_email, "password": PASSWORD})
    assert user_row(app, buyer_email).last_login_at is None
    assert "Never" in admin.get(f"/staff/users/{buyer_id}").get_data(as_text=True)


def test_a_suspended_staff_member_loses_the_console_at_once(app):
    make_places(app)
    reviewer_id = scoped_reviewer(app)
    reviewer = app.test_client()
    log_in(reviewer, "reviewer@example.com")
    assert reviewer.get("/staff/sellers").status_code == 200
    admin = admin_client(app)
    submit(admin, f"/staff/users/{reviewer_id}/status", {"reason": "Left the job",
                                                         "suspend": "1"},
           token_from=f"/staff/users/{reviewer_id}")
    gone = reviewer.get("/staff/sellers")
    assert gone.status_code == 302 and gone.location.startswith("/login")


@pytest.mark.parametrize("action", ["suspend", "reinstate"])
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required_and_nothing_changes_without_one(app, action, reason):
    buyer_email = make_user(app, Role.BUYER)
    buyer_id = user_row(app, buyer_email).id
    admin = admin_client(app)
    if action == "reinstate":
        submit(admin, f"/staff/users/{buyer_id}/status", {"reason": "Fraud", "suspend": "1"},
               token_from=f"/staff/users/{buyer_id}")
    before = user_audit(app, buyer_id)
    suspended = user_row(app, buyer_email).suspended_at
    response = submit(admin, f"/staff/users/{buyer_id}/status", {"reason": reason, action: "1"},
                      token_from=f"/staff/users/{buyer_id}")
    assert response.status_code == 422
    assert "Give the reason." in response.get_data(as_text=True)
    assert user_row(app, buyer_email).suspended_at == suspended
    assert user_audit(app, buyer_id) == before


def test_an_admin_cannot_suspend_themselves_or_change_their_own_role(app):
    admin = admin_client(app)
    me = user_row(app, "chief@example.com")
    response = submit(admin, f"/staff/users/{me.id}/status", {"reason": "Testing",
                                                              "suspend": "1"},
                      token_from="/staff/users")
    assert response.status_code == 409
    assert "You cannot suspend or reinstate your own account" in response.get_data(as_text=True)
    response = submit(admin, f"/staff/users/{me.id}/role", {"role": "staff"},
                      token_from="/staff/users")
    assert response.status_code == 303
    assert "Another administrator must change your role" in admin.get(
        response.location).get_data(as_text=True)
    after = user_row(app, "chief@example.com")
    assert after.role == "admin" and after.suspended_at is None
    assert admin.get("/staff/users").status_code == 200  # still an admin, still logged in
    assert user_audit(app, me.id) == []


def test_a_seller_account_is_not_suspended_from_the_accounts_page(app):
    make_places(app)
    seller_email, _ = make_seller(app, "approved")
    seller_user = user_row(app, seller_email)
    admin = admin_client(app)
    page = admin.get(f"/staff/users/{seller_user.id}").get_data(as_text=True)
    assert "use their seller page" in page and "Suspend account" not in page
    response = submit(admin, f"/staff/users/{seller_user.id}/status",
                      {"reason": "Fake goods", "suspend": "1"},
                      token_from=f"/staff/users/{seller_user.id}")
    assert response.status_code == 409
    assert "Sellers are suspended from their seller page" in response.get_data(as_text=True)
    assert user_row(app, seller_email).suspended_at is None
    assert user_audit(app, seller_user.id) == []
    seller = app.test_client()
    log_in(seller, seller_email)


def test_roles_and_all_india_change_with_an_audit_row_each(app):
    make_places(app)
    reviewer_id = scoped_reviewer(app)
    admin = admin_client(app)
    back = f"/staff/users/{reviewer_id}"
    assert submit(admin, f"{back}/all-india", {"all_india": "y"},
                  token_from=back).status_code == 303
    assert user_row(app, "reviewer@example.com").all_india
    assert submit(admin, f"{back}/role", {"role": "admin"}, token_from=back).status_code == 303
    assert user_row(app, "reviewer@example.com").role == "admin"
    promoted = app.test_client()
    log_in(promoted, "reviewer@example.com")
    assert promoted.get("/staff/users").status_code == 200
    assert submit(admin, f"{back}/role", {"role": "staff"}, token_from=back).status_code == 303
    assert promoted.get("/staff/users").status_code == 403
    assert submit(admin, f"{back}/role", {"role": "buyer"}, token_from=back).status_code == 400
    assert user_row(app, "reviewer@example.com").role == "staff"
    actions = [(action, before, after) for _id, action, before, after, _note
               in user_audit(app, reviewer_id)]
    assert actions == [("scope", None, None), ("role", "staff", "admin"),
                       ("role", "admin", "staff")]


def test_creating_a_staff_account_refuses_bad_answers_and_keeps_them(app, outbox):
    admin = admin_client(app)
    make_user(app, Role.BUYER, email="taken@example.com")
    for data, message in (
            ({"full_name": "Asha", "email": "taken@example.com", "role": "staff"},
             "already exists"),
            ({"full_name": "Asha", "email": "not-an-email", "role": "staff"}, "not-an-email"),
            ({"full_name": "", "email": "asha@example.com", "role": "staff"},
             "Enter the person"),
            ({"full_name": "Asha", "email": "asha@example.com", "role": "buyer"}, "Asha")):
        response = submit(admin, "/staff/users/new", data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
    assert outbox == [] and user_audit(app) == []


def test_the_accounts_list_filters_and_pages(app):
    make_places(app)
    admin = admin_client(app)
    scoped_reviewer(app)
    with app.app_context():
        for n in range(55):
            users.create_user(email=f"shopper{n}@example.com", password=PASSWORD,
                                 full_name=f"Shopper {n}", role=Role.BUYER)
    everyone = admin.get("/staff/users").get_data(as_text=True)
    assert "57 accounts." in everyone and 'rel="next"' in everyone
    # Staff come first, however many buyers registered after them.
    assert "reviewer@example.com" in everyone and "chief@example.com" in everyone
    assert everyone.index("chief@example.com") < everyone.index("shopper54@example.com")
    assert 'href="/staff/users?page=2" rel="next"' in admin.get(
        "/staff/users?page=0").get_data(as_text=True)
    second = admin.get("/staff/users?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert second.count('<th scope="row">') == 7
    staff = admin.get("/staff/users?role=staff").get_data(as_text=True)
    assert "1 account." in staff and "reviewer@example.com" in staff
    found = admin.get("/staff/users?q=SHOPPER1").get_data(as_text=True)
    assert "11 accounts." in found  # Shopper 1 and 10 to 19
    assert "0 accounts." in admin.get("/staff/users?q=%25_").get_data(as_text=True)
    assert "0 accounts." in admin.get("/staff/users?suspended=y").get_data(as_text=True)
    for odd in ("?page=0", "?page=-3", "?page=99999999999", "?role=<b>", "?page=x"):
        assert admin.get(f"/staff/users{odd}").status_code == 200, odd


WHO = ["anonymous", "buyer", "seller", "staff", "scoped_reviewer", "admin"]


@pytest.fixture
def people(app):
    make_places(app)
    target_id = scoped_reviewer(app, email="target@example.com")
    with app.app_context():
        scope_id = db.session.scalar(select(StaffScope.id).where(
            StaffScope.user_id == target_id))
    return {"emails": {"buyer": make_user(app, Role.BUYER),
                       "seller": make_seller(app, "approved")[0],
                       "staff": make_user(app, Role.STAFF),
                       "scoped_reviewer": "target@example.com",
                       "admin": make_user(app, Role.ADMIN)},
            "target": target_id, "scope": scope_id}


ADMIN_ONLY = {"anonymous": "login", "buyer": 403, "seller": 403, "staff": 403,
              "scoped_reviewer": 403}
ROUTES = [
    ("GET", "/staff/users", None, 200),
    ("GET", "/staff/users?role=staff&q=target&suspended=y", None, 200),
    ("GET", "/staff/users/new", None, 200),
    ("POST", "/staff/users/new", {"full_name": "New Person", "email": "new@example.com",
                                  "role": "admin", "all_india": "y"}, 303),
    ("GET", "/staff/users/{target}", None, 200),
    ("POST", "/staff/users/{target}/status", {"reason": "Left", "suspend": "1"}, 303),
    ("POST", "/staff/users/{target}/role", {"role": "admin"}, 303),
    ("POST", "/staff/users/{target}/all-india", {"all_india": "y"}, 303),
    ("POST", "/staff/users/{target}/places", {"state": "30", "district": ""}, 303),
    ("POST", "/staff/users/{target}/places/{scope}/remove", {}, 303),
]


def _accounts_state(app, target_id):
    with app.app_context():
        target = db.session.get(User, target_id)
        return (db.session.scalar(select(func.count()).select_from(User)), target.role,
                target.all_india, target.suspended_at, scopes_of(app, target_id),
                user_audit(app))


@pytest.mark.parametrize("method, template, data, for_admin", ROUTES,
                         ids=[f"{m} {t}" for m, t, _, _ in ROUTES])
@pytest.mark.parametrize("who", WHO)
def test_only_admins_reach_the_accounts_pages(app, people, method, template, data, for_admin,
                                              who):
    email = None if who == "anonymous" else people["emails"][who]
    want = for_admin if who == "admin" else ADMIN_ONLY[who]
    before = _accounts_state(app, people["target"])
    check_access(app, email, method, template.format(**people), data, want)
    if who != "admin":
        assert _accounts_state(app, people["target"]) == before


def test_a_staff_member_cannot_see_the_admin_only_controls(app):
    make_places(app)
    staff = app.test_client()
    log_in(staff, make_user(app, Role.STAFF))
    token = csrf_token(staff, "/")
    assert staff.post("/staff/users/new", data={"csrf_token": token, "full_name": "Me again",
                                                "email": "me2@example.com",
                                                "role": "admin"}).status_code == 403
    assert user_audit(app) == []
