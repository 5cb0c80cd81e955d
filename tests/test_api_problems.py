"""Every error under /api/ is RFC 9457 problem details, whichever layer refused: routing,
the token check, webargs' reading of the request, a service's refusal, the limiter, a crash."""

import io

import pytest
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from odop_bazaar.api.blueprints import refuse_unreadable_json
from odop_bazaar.api.problems import ApiProblem
from odop_bazaar.models import Role
from odop_bazaar.services.errors import AlreadyChanged, FieldErrors
from tests.conftest import make_test_app
from tests.factories import make_user

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def token_for(app, role=Role.BUYER, scopes=("read",)) -> str:
    from sqlalchemy import select

    from odop_bazaar.extensions import db
    from odop_bazaar.models import User
    from odop_bazaar.services.accounts import api_tokens

    email = make_user(app, role)
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return api_tokens.create_token(user, name="t", scopes=list(scopes),
                                       expires_in_days=30).secret


def assert_problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert PROBLEM_KEYS <= set(body) and body["status"] == status
    assert body["instance"] == response.request.path
    return body


class PriceSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=10))
    price_paise = fields.Integer(required=True, validate=validate.Range(min=1))


def probe_blueprint():
    """Routes that refuse in each way a real API view can, for an app made for one test."""
    blp = Blueprint("api_probe", __name__, url_prefix="/api/v1/probe")
    blp.before_request(refuse_unreadable_json)  # as api_blueprint() does

    @blp.post("/price")
    @blp.arguments(PriceSchema)
    def price(body):
        if body["title"] == "taken":
            raise FieldErrors({"title": "A listing with this title exists."})
        if body["title"] == "late":
            raise AlreadyChanged("Someone else changed this listing first.")
        return {"ok": True}

    @blp.get("/gone")
    def gone():
        raise ApiProblem(410, "It was taken down.")

    @blp.get("/crash")
    def crash():
        raise RuntimeError("secret detail that must not leak")

    return blp


@pytest.fixture
def probe_app(shared_database_url, tmp_path):
    # Not an API blueprint (which is exempt from CSRF where it is made): CSRF is off instead.
    for app in make_test_app(shared_database_url, tmp_path, PROPAGATE_EXCEPTIONS=False,
                             WTF_CSRF_ENABLED=False):
        app.register_blueprint(probe_blueprint())
        yield app


def test_an_unknown_address_and_a_wrong_method_are_problems(app):
    client = app.test_client()
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert body["type"] == "about:blank" and body["title"] == "Not Found"
    response = client.delete("/api/v1/states")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_no_token_is_a_401_that_says_how_to_authenticate(app):
    response = app.test_client().get("/api/v1/me")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers


def test_the_detail_is_in_hindi_when_the_client_asks_for_it(app):
    response = app.test_client().get("/api/v1/me", headers={"Accept-Language": "hi, en;q=0.5"})
    body = assert_problem(response, 401)
    assert response.headers["Content-Language"] == "hi"
    assert any("\u0900" <= ch <= "\u097f" for ch in body["detail"]), body["detail"]


def test_refused_fields_are_named_with_their_messages(probe_app):
    client = probe_app.test_client()
    body = assert_problem(client.post("/api/v1/probe/price",
                                      json={"title": "", "price_paise": "lots"}), 422)
    assert set(body["errors"]) == {"title", "price_paise"}
    assert body["type"].endswith("#problem-invalid-fields")
    body = assert_problem(client.post("/api/v1/probe/price",
                                      json={"title": "taken", "price_paise": 100}), 422)
    assert body["errors"] == {"title": ["A listing with this title exists."]}


def test_a_body_that_is_not_json_is_refused_not_crashed(probe_app):
    response = probe_app.test_client().post("/api/v1/probe/price", data=b"{not json",
                                            content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000,
                                  '{"title": "a\\u0000b", "price_paise": 1}',
                                  '{"title": "ab", "price_paise": 1, "\\u0000": 1}'])
def test_json_that_would_break_something_further_on_is_a_400(probe_app, body):
    response = probe_app.test_client().post("/api/v1/probe/price", data=body,
                                            content_type="application/json")
    assert_problem(response, 400)


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000,
                                  '{"title": "a\\u0000b", "price_paise": 1}'])
def test_json_sent_in_chunks_without_a_length_is_checked_the_same(probe_app, body):
    # A client may stream its body (Transfer-Encoding: chunked) and send no Content-Length;
    # the NUL that PostgreSQL cannot store must still be refused before any view reads it.
    response = probe_app.test_client().post(
        "/api/v1/probe/price", input_stream=io.BytesIO(body.encode()),
        headers={"Transfer-Encoding": "chunked"}, content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True})
    assert_problem(response, 400)


def test_someone_acting_first_is_a_409_and_a_view_problem_keeps_its_status(probe_app):
    client = probe_app.test_client()
    body = assert_problem(client.post("/api/v1/probe/price",
                                      json={"title": "late", "price_paise": 100}), 409)
    assert body["detail"] == "Someone else changed this listing first."
    assert assert_problem(client.get("/api/v1/probe/gone"), 410)["detail"] == \
        "It was taken down."


def test_a_crash_is_a_500_problem_that_tells_nothing(probe_app):
    response = probe_app.test_client().get("/api/v1/probe/crash")
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "Nothing was saved" in body["detail"]


def test_limits_are_counted_per_token(shared_database_url, tmp_path):
    for app in make_test_app(shared_database_url, tmp_path, API_RATE_LIMIT="3 per minute"):
        first, second = token_for(app), token_for(app)
        client = app.test_client()
        answers = [client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"})
                   for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert_problem(answers[-1], 429)
        assert int(answers[-1].headers["Retry-After"]) > 0
        # Another token from the same address has its own allowance.
        other = client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"})
        assert other.status_code == 200
