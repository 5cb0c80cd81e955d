"""Personal access tokens from a person's side: made on /account/api-tokens (the secret shown
once, only its digest kept), used on the API, marked when used, expired, revoked, stopped with
a suspended account; and made by an operator with `flask create-api-token`."""

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select, update

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import Role, User
from odop_bazaar.models.api_access import ApiToken
from odop_bazaar.services.accounts import user_admin
from tests.conftest import log_in, submit
from tests.factories import make_user

PAGE = "/account/api-tokens"
SECRET = re.compile(r'id="new-token">(odop_[A-Za-z0-9_-]+)<')


def logged_in(app, role=Role.SELLER):
    email = make_user(app, role)
    client = app.test_client()
    log_in(client, email)
    return client, email


def make_on_page(client, name="Shop app", scopes=("read", "seller:write"), days="30"):
    """The form sent as a person sends it; the answer and the secret it shows (or None)."""
    response = submit(client, PAGE, {"name": name, "scopes": list(scopes),
                                     "expires_in_days": days})
    found = SECRET.search(response.get_data(as_text=True))
    return response, found.group(1) if found else None


def session_of(app, client) -> dict:
    """What the session cookie holds, decoded (it is signed, not encrypted: anyone can)."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie("session").value)


def tokens_of(app, email) -> list[ApiToken]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))


def me(client, secret):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})


def test_a_token_made_on_the_page_is_shown_once_and_only_its_digest_is_kept(app):
    client, email = logged_in(app)
    response, secret = make_on_page(client)
    assert response.status_code == 200 and secret
    assert response.headers["Cache-Control"] == "no-store"
    assert secret not in response.headers.get("Location", "") + str(response.headers)
    listing = client.get(PAGE)
    page = listing.get_data(as_text=True)
    assert secret not in page and listing.headers["Cache-Control"] == "no-store"
    assert "Shop app" in page and secret[:11] + "…" in page and "Never" in page
    assert secret not in str(session_of(app, client))
    [token] = tokens_of(app, email)
    columns = [getattr(token, column.key) for column in ApiToken.__table__.columns]
    assert not any(secret in str(value) for value in columns)
    assert token.token_digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scope_set == {"read", "seller:write"}


def test_the_new_token_reads_the_account_on_the_api_and_its_use_is_noted(app):
    client, email = logged_in(app)
    _, secret = make_on_page(client, scopes=("read",))
    answer = me(app.test_client(), secret)
    assert answer.status_code == 200
    assert answer.json["email"] == email and answer.json["scopes"] == ["read"]
    [token] = tokens_of(app, email)
    assert token.last_used_at is not None
    assert "Never" not in client.get(PAGE).get_data(as_text=True)


def test_the_form_offers_only_the_scopes_the_account_may_give(app):
    buyer, _ = logged_in(app, Role.BUYER)
    page = buyer.get(PAGE).get_data(as_text=True)
    assert re.findall(r'name="scopes"[^>]*value="([^"]+)"', page) == ["read"]
    staff, _ = logged_in(app, Role.STAFF)
    page = staff.get(PAGE).get_data(as_text=True)
    assert re.findall(r'name="scopes"[^>]*value="([^"]+)"', page) == ["read", "staff"]


def test_a_scope_the_account_cannot_give_is_refused_beside_the_field_and_nothing_is_kept(app):
    client, email = logged_in(app, Role.BUYER)
    response, secret = make_on_page(client, name="Phone", scopes=("read", "seller:write"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and secret is None
    assert 'id="scopes-error"' in page
    assert "Your account cannot give a token that permission." in page
    assert 'value="Phone"' in page
    assert tokens_of(app, email) == []


def test_a_token_without_a_name_or_a_scope_is_refused_with_both_messages(app):
    client, email = logged_in(app)
    response, _ = make_on_page(client, name="  ", scopes=())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="name-error"' in page and 'id="scopes-error"' in page
    assert tokens_of(app, email) == []


def test_an_expiry_not_offered_is_refused_beside_its_field(app):
    client, email = logged_in(app)
    for days in ("1000", "thirty", ""):
        response, _ = make_on_page(client, days=days)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="expires_in_days-error"' in page and "Choose how long the token lasts." in page
    assert tokens_of(app, email) == []


def test_a_token_without_the_scope_a_route_needs_is_refused_403(app):
    client, _ = logged_in(app)
    _, secret = make_on_page(client, scopes=("seller:write",))
    answer = me(app.test_client(), secret)
    assert answer.status_code == 403
    assert answer.content_type.startswith("application/problem+json")
    assert "read" in answer.json["detail"]


def test_an_expired_token_is_refused_401_and_marked_expired_on_the_page(app):
    client, email = logged_in(app)
    _, secret = make_on_page(client, scopes=("read",))
    assert me(app.test_client(), secret).status_code == 200
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    answer = me(app.test_client(), secret)
    assert answer.status_code == 401
    assert answer.content_type.startswith("application/problem+json")
    assert "Expired" in client.get(PAGE).get_data(as_text=True)


def test_a_revoked_token_is_refused_401_and_leaves_the_list(app):
    client, email = logged_in(app)
    _, secret = make_on_page(client, name="Old script", scopes=("read",))
    [token] = tokens_of(app, email)
    response = submit(client, f"{PAGE}/{token.id}/revoke", {}, token_from=PAGE,
                      follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The token is revoked" in page and "Old script" not in page
    assert tokens_of(app, email)[0].revoked_at is not None
    assert me(app.test_client(), secret).status_code == 401


def test_a_suspended_persons_token_is_refused_401(app):
    client, email = logged_in(app, Role.BUYER)
    _, secret = make_on_page(client, scopes=("read",))
    admin_email = make_user(app, Role.ADMIN)
    with app.test_request_context():
        person, admin = (db.session.scalar(select(User).where(User.email == address))
                         for address in (email, admin_email))
        user_admin.suspend(person, admin, "Fraud reported")
    answer = me(app.test_client(), secret)
    assert answer.status_code == 401
    assert answer.content_type.startswith("application/problem+json")


def test_another_persons_token_cannot_be_revoked(app):
    owner, email = logged_in(app)
    _, secret = make_on_page(owner, scopes=("read",))
    [token] = tokens_of(app, email)
    other, _ = logged_in(app)
    response = submit(other, f"{PAGE}/{token.id}/revoke", {}, token_from=PAGE)
    assert response.status_code == 404
    assert tokens_of(app, email)[0].revoked_at is None
    assert me(app.test_client(), secret).status_code == 200
    # Nor twice by its owner: once revoked, it is gone from their list too.
    assert submit(owner, f"{PAGE}/{token.id}/revoke", {}, token_from=PAGE).status_code == 302
    assert submit(owner, f"{PAGE}/{token.id}/revoke", {}, token_from=PAGE).status_code == 404


def test_the_account_page_links_to_the_tokens_and_the_tokens_page_to_the_api_docs(app):
    client, _ = logged_in(app, Role.BUYER)
    assert f'href="{PAGE}"' in client.get("/account").get_data(as_text=True)
    assert 'href="/api/v1/docs"' in client.get(PAGE).get_data(as_text=True)


def test_the_tokens_page_is_in_hindi(app):
    client, _ = logged_in(app, Role.BUYER)
    page = client.get("/hi" + PAGE).get_data(as_text=True)
    assert "API टोकन" in page and "Make a new token" not in page


def test_the_command_prints_only_a_secret_that_works(app, runner):
    email = make_user(app, Role.SELLER)
    result = runner.invoke(args=["create-api-token", "--email", email, "--name", "curl",
                                 "--scope", "read", "--scope", "seller:write", "--days", "7"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert re.fullmatch(r"odop_[A-Za-z0-9_-]+", secret)
    assert me(app.test_client(), secret).json["scopes"] == ["read", "seller:write"]
    [token] = tokens_of(app, email)
    assert token.name == "curl"
    assert timedelta(days=6) < token.expires_at - utcnow() <= timedelta(days=7)


def test_the_command_refuses_an_unknown_account_or_a_scope_it_cannot_give(app, runner):
    unknown = runner.invoke(args=["create-api-token", "--email", "nobody@example.com",
                                  "--name", "x", "--scope", "read"])
    assert unknown.exit_code != 0 and "No account" in unknown.output
    email = make_user(app, Role.BUYER)
    refused = runner.invoke(args=["create-api-token", "--email", email, "--name", "x",
                                  "--scope", "staff"])
    assert refused.exit_code != 0
    assert "Your account cannot give a token that permission." in refused.output
    assert tokens_of(app, email) == []


def test_reloading_the_answer_that_showed_the_secret_makes_no_second_token(app):
    client, email = logged_in(app)
    page = client.get(PAGE).get_data(as_text=True)
    form_key = re.search(r'name="form_key" type="hidden" value="([^"]+)"', page).group(1)
    form = {"name": "Shop app", "scopes": ["read"], "expires_in_days": "30",
            "form_key": form_key}
    first = submit(client, PAGE, form)
    assert SECRET.search(first.get_data(as_text=True))
    again = submit(client, PAGE, form)  # the browser's "send the form again?" answered yes
    assert again.status_code == 302 and again.location.endswith(PAGE)
    assert "was made already" in client.get(PAGE).get_data(as_text=True)
    assert len(tokens_of(app, email)) == 1
    # A new form (a new key) makes a new token.
    assert make_on_page(client, name="Second app", scopes=("read",))[1]
    assert len(tokens_of(app, email)) == 2
