"""Accounts through the web forms: register, verify, log in and out, reset, change, limits."""

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import OutboxMessage, User
from tests.conftest import csrf_token, log_in, make_test_app, submit
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "a-brand-new-secret"


def register(client, **fields):
    data = {"account_type": "buyer", "full_name": "Meera Devi", "email": "meera@example.com",
            "mobile": "", "password": PASSWORD, "confirm": PASSWORD, **fields}
    return submit(client, "/register", data)


def user_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def get_user(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge_all()
        return user


def link_in(message) -> str:
    body = message.get_content()
    return urlsplit(re.search(r"https?://\S+", body).group(0)).path


def test_registration_signs_in_normalises_and_sends_a_confirmation_link(app, client, outbox):
    response = register(client, email="  Meera@Example.COM ", mobile="+91 98765-43210",
                        account_type="seller")
    assert response.status_code == 302 and response.location == "/seller/onboarding"
    user = get_user(app, "meera@example.com")
    assert user.role == "seller" and user.mobile == "9876543210" and not user.email_verified
    assert user.password_hash != PASSWORD
    page = client.get("/account").get_data(as_text=True)
    assert "meera@example.com" in page and "Not confirmed yet" in page

    assert [m["To"] for m in outbox] == ["meera@example.com"]
    client.get(link_in(outbox[0]))
    assert get_user(app, "meera@example.com").email_verified
    assert "Confirmed" in client.get("/account").get_data(as_text=True)


def test_registration_errors_keep_what_was_typed_and_store_nothing(app, client):
    response = register(client, email="not-an-email", mobile="12345", confirm="different")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in page
    assert 'href="#email"' in page and 'href="#mobile"' in page and 'href="#confirm"' in page
    assert 'value="Meera Devi"' in page and 'value="not-an-email"' in page
    assert 'value="12345"' in page
    assert user_count(app) == 0


def test_an_email_can_hold_only_one_account_whatever_its_case(app, client):
    make_user(app, email="meera@example.com")
    response = register(client, email="MEERA@example.com")
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert user_count(app) == 1


def test_nobody_can_register_themselves_as_staff(app, client):
    response = register(client, account_type="admin")
    assert response.status_code == 422
    assert user_count(app) == 0


def test_the_sell_link_preselects_the_seller_account(client):
    page = client.get("/register?as=seller").get_data(as_text=True)
    assert re.search(r'<input checked id="account_type-1"[^>]*value="seller"', page)


def test_a_tampered_or_expired_confirmation_link_is_refused(app, client, outbox):
    register(client)
    path = link_in(outbox[0])
    assert client.get(path + "x").status_code == 400
    app.config["EMAIL_VERIFY_MAX_AGE"] = -1
    response = client.get(path)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert not get_user(app, "meera@example.com").email_verified


def test_log_in_and_out(app, client):
    email = make_user(app)
    response = log_in(client, email.upper())
    assert response.location == "/account"
    assert client.get("/account").status_code == 200
    assert get_user(app, email).last_login_at is not None
    response = submit(client, "/logout", {})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(app, client):
    email = make_user(app)
    for attempt in (email, "nobody@example.com"):
        response = submit(client, "/login", {"email": attempt, "password": "wrong-password"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "The email address or password is not right." in page
        assert f'value="{attempt}"' in page
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize("target", [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
    " //evil.example",
    "/%0d%0aSet-Cookie:x=1",
])
def test_next_never_leaves_the_site(app, client, target):
    email = make_user(app)
    response = submit(client, "/login", {"email": email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    if target.startswith("/%0d"):
        assert response.location == target  # a path on this site, harmless
    else:
        assert response.location == "/account"


def test_next_takes_the_person_back_where_they_were(app, client):
    email = make_user(app)
    assert client.get("/account/password").location == "/login?next=%2Faccount%2Fpassword"
    page = client.get("/login?next=/account/password").get_data(as_text=True)
    assert 'value="/account/password"' in page
    response = submit(client, "/login?next=/account/password",
                      {"email": email, "password": PASSWORD, "next": "/account/password"})
    assert response.location == "/account/password"


def test_password_reset_by_a_single_use_link(app, client, outbox):
    email = make_user(app)
    response = submit(client, "/forgot-password", {"email": email})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    path = link_in(outbox[-1])
    assert client.get(path).status_code == 200
    response = submit(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/login"

    again = client.get(path)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)
    bad = submit(client, "/login", {"email": email, "password": PASSWORD})
    assert bad.status_code == 422
    log_in(client, email, NEW_PASSWORD)


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(app, client, outbox):
    response = submit(client, "/forgot-password", {"email": "stranger@example.com"})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert outbox == []


def test_an_expired_reset_link_is_refused(app, client, outbox):
    email = make_user(app)
    submit(client, "/forgot-password", {"email": email})
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    path = link_in(outbox[-1])
    response = submit(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                      token_from="/forgot-password")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    log_in(client, email, PASSWORD)


def test_change_password_needs_the_current_one(app, client):
    email = make_user(app)
    log_in(client, email)
    wrong = submit(client, "/account/password", {"current_password": "nope-nope-nope",
                                                 "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422 and "current password is not right" in wrong.get_data(as_text=True)
    right = submit(client, "/account/password", {"current_password": PASSWORD,
                                                 "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert right.status_code == 302
    submit(client, "/logout", {})
    log_in(client, email, NEW_PASSWORD)


def test_profile_errors_keep_the_input(app, client):
    email = make_user(app)
    log_in(client, email)
    response = submit(client, "/account", {"full_name": "Meera D", "mobile": "5555"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="5555"' in page and 'value="Meera D"' in page
    assert "starts with 6, 7, 8 or 9" in page or "10-digit" in page
    ok = submit(client, "/account", {"full_name": "Meera D", "mobile": "09876543210"})
    assert ok.status_code == 302
    assert get_user(app, email).mobile == "9876543210"


def test_failed_logins_are_limited_per_account(app, client):
    email = make_user(app)
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    for _ in range(3):
        assert submit(client, "/login", {"email": email, "password": "wrong"}).status_code == 422
    blocked = submit(client, "/login", {"email": email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    # Another account from the same address is not locked out by someone else's attempts.
    other = make_user(app)
    log_in(client, other)


def test_limits_hold_after_an_app_that_switched_them_off(shared_database_url, tmp_path):
    # The extension object outlives the apps bound to it; one app with limits off must not
    # leave the next app, built with the defaults, unprotected.
    quiet = make_test_app(shared_database_url, tmp_path, RATELIMIT_ENABLED=False)
    next(quiet)
    next(quiet, None)  # tears the first app down
    guarded = make_test_app(shared_database_url, tmp_path, LOGIN_LIMIT_PER_ADDRESS="2 per hour")
    client = next(guarded).test_client()
    answers = [submit(client, "/login", {"email": f"g{n}@example.com", "password": "x"}).status_code
               for n in range(3)]
    next(guarded, None)
    assert answers == [422, 422, 429]


def test_failed_logins_are_limited_per_address(app):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for n in range(4):
        response = submit(attacker, "/login", {"email": f"guess{n}@example.com", "password": "x"})
        assert response.status_code == 422
    assert submit(attacker, "/login", {"email": "guess9@example.com",
                                       "password": "x"}).status_code == 429
    email = make_user(app)
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    log_in(neighbour, email)


def test_successful_logins_do_not_count_against_the_limit(app):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    email = make_user(app)
    for _ in range(4):
        client = app.test_client()
        log_in(client, email)


def test_state_changing_requests_without_a_csrf_token_are_refused(app, client):
    email = make_user(app)
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    response = client.post("/register", data={"account_type": "buyer", "full_name": "X",
                                              "email": "x@example.com", "password": PASSWORD,
                                              "confirm": PASSWORD})
    assert response.status_code == 400 and user_count(app) == 1


def test_logout_by_get_only_asks(app, client):
    email = make_user(app)
    log_in(client, email)
    page = client.get("/logout")
    assert page.status_code == 200 and "Log out of ODOP Bazaar?" in page.get_data(as_text=True)
    assert client.get("/account").status_code == 200


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app):
    email = make_user(app)
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, email)
    submit(laptop, "/login", {"email": email, "password": PASSWORD, "remember": "y"})
    response = submit(phone, "/account/password", {"current_password": PASSWORD,
                                                   "password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert phone.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 302  # even with "keep me logged in"


def test_a_password_reset_ends_existing_sessions(app, outbox):
    email = make_user(app)
    thief = app.test_client()
    log_in(thief, email)
    owner = app.test_client()
    submit(owner, "/forgot-password", {"email": email})
    submit(owner, link_in(outbox[-1]), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert thief.get("/account").status_code == 302


def test_a_forged_host_cannot_get_a_reset_link_pointing_elsewhere(app, client, outbox):
    email = make_user(app)
    token = csrf_token(client, "/forgot-password")
    response = client.post("/forgot-password", data={"csrf_token": token, "email": email},
                           headers={"Host": "evil.example"})
    assert response.status_code == 400
    submit(client, "/forgot-password", {"email": email})
    assert all("evil.example" not in m.get_content() for m in outbox)
    assert "http://localhost/reset-password/" in outbox[-1].get_content()


def test_mobile_numbers_typed_in_devanagari_digits_are_understood(app, client):
    register(client, mobile="९८७६५ ४३२१०")
    assert get_user(app, "meera@example.com").mobile == "9876543210"


def test_when_mail_fails_the_account_still_works_and_the_mail_waits_to_be_sent_again(
        app, client, outbox):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=9)  # nothing there
    response = register(client)
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert get_user(app, "meera@example.com") is not None
    forgot = submit(client, "/forgot-password", {"email": "meera@example.com"})
    assert forgot.status_code == 200 and "Check your email" in forgot.get_data(as_text=True)
    with app.app_context():
        waiting = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(m.to_address, m.status, m.attempts) for m in waiting] == [
            ("meera@example.com", "pending", 1)] * 2
        assert "ConnectionRefusedError" in waiting[0].last_error


def test_log_in_checks_a_password_hash_even_for_unknown_addresses(app, monkeypatch):
    """No early return, so response time does not tell which addresses have accounts."""
    from werkzeug import security

    from odop_bazaar.models import accounts as account_model
    from odop_bazaar.services.accounts import users

    checks = []

    def counting(hash_value, password):
        checks.append(hash_value)
        return security.check_password_hash(hash_value, password)

    monkeypatch.setattr(users, "check_password_hash", counting)
    monkeypatch.setattr(account_model, "check_password_hash", counting)
    email = make_user(app)
    with app.app_context():
        for address in (email, "nobody@example.com", "not an address"):
            checks.clear()
            assert users.authenticate(address, "wrong-password") is None
            assert len(checks) == 1, address


def test_a_mobile_number_of_spaces_is_left_out_not_refused(app, client):
    email = make_user(app)
    log_in(client, email)
    response = submit(client, "/account", {"full_name": "Meera D", "mobile": "   "})
    assert response.status_code == 302
    assert get_user(app, email).mobile is None


def test_a_name_made_only_of_invisible_characters_is_no_name(app, client):
    # Zero-width spaces and joiners pass str.strip() and DataRequired; nobody could read the
    # name on a staff queue or an order.
    response = submit(client, "/register", {"full_name": "\u200b\u200d \u2060", "email": "z@example.com",
                                            "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 422 and "Enter your name." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_invisible_ends_are_trimmed_but_joiners_inside_a_word_are_kept(app, client):
    email = make_user(app)
    log_in(client, email)
    # क्‍ष: the joiner inside the word changes how it is drawn, so it stays.
    response = submit(client, "/account", {"full_name": "\u200b मीरा क्\u200dष \u200c", "mobile": ""})
    assert response.status_code == 302
    assert get_user(app, email).full_name == "मीरा क्\u200dष"
