"""JSON log lines on stderr, each record of a request carrying the request's id."""

import json
import logging

import pytest

from config import DevelopmentConfig, ProductionConfig, TestingConfig
from odop_bazaar import create_app
from odop_bazaar.logs import request_id_from
from tests.conftest import make_test_app


@pytest.fixture
def logging_app(shared_database_url, tmp_path):
    """A test app logging at INFO (tests default to WARNING), with one more route that logs."""
    made = make_test_app(shared_database_url, tmp_path, LOG_LEVEL="INFO")
    app = next(made)

    @app.get("/_test/log")
    def log_something():
        logging.getLogger("odop_bazaar.test").info("Something happened to %s", "order 12")
        return "logged"

    yield app
    next(made, None)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_each_record_of_a_request_carries_the_id_the_caller_sent(logging_app, capsys):
    response = logging_app.test_client().get("/_test/log", headers={"X-Request-ID": "lb-42.a_b"})
    assert response.headers["X-Request-ID"] == "lb-42.a_b"
    lines = json_lines(capsys.readouterr().err)
    ours = [line for line in lines if line["logger"] == "odop_bazaar.test"]
    assert ours == [{"time": ours[0]["time"], "level": "INFO", "logger": "odop_bazaar.test",
                     "message": "Something happened to order 12", "request_id": "lb-42.a_b"}]


def test_an_id_is_made_when_none_is_sent_and_a_different_one_for_each_request(logging_app,
                                                                              capsys):
    client = logging_app.test_client()
    first = client.get("/_test/log").headers["X-Request-ID"]
    second = client.get("/_test/log").headers["X-Request-ID"]
    assert len(first) == 32 and first != second
    ids = [line["request_id"] for line in json_lines(capsys.readouterr().err)
           if line["logger"] == "odop_bazaar.test"]
    assert ids == [first, second]


@pytest.mark.parametrize("sent", ["", "a" * 65, "two words", 'x"}, {"level": "ERROR',
                                  "line\\nbreak", "café"])
def test_an_id_that_is_not_a_sane_token_is_replaced(sent):
    made = request_id_from(sent)
    assert made != sent and len(made) == 32


def test_the_answer_carries_one_id_even_when_a_view_set_its_own(logging_app):
    @logging_app.get("/_test/own-id")
    def own_id():
        return "x", 200, {"X-Request-ID": "from-the-view"}

    response = logging_app.test_client().get("/_test/own-id", headers={"X-Request-ID": "abc"})
    assert response.headers.getlist("X-Request-ID") == ["abc"]


def test_info_is_logged_by_default_and_log_level_changes_it(tmp_path, capsys):
    assert DevelopmentConfig.LOG_LEVEL == ProductionConfig.LOG_LEVEL == "INFO"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                     STORAGE_ROOT=str(tmp_path), LOG_LEVEL="WARNING")
    with app.app_context():
        logging.getLogger("odop_bazaar.test").info("quiet")
        logging.getLogger("odop_bazaar.test").warning("loud")
    messages = [line["message"] for line in json_lines(capsys.readouterr().err)]
    assert messages == ["loud"]
    assert logging.getLogger().level == logging.WARNING
    create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", STORAGE_ROOT=str(tmp_path),
               LOG_LEVEL="INFO")
    assert logging.getLogger().level == logging.INFO
    # Set up twice, yet one handler of ours: each line once.
    assert len([h for h in logging.getLogger().handlers if getattr(h, "odop_json", False)]) == 1


def test_a_token_in_a_logged_path_is_cut_out(logging_app, capsys):
    token = "IjEi.aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRva2Vu.abcdef"
    logging.getLogger("odop_bazaar.test").error("Unhandled error on GET %s",
                                                f"/reset-password/{token}")
    [line] = [line for line in json_lines(capsys.readouterr().err)
              if line["logger"] == "odop_bazaar.test"]
    assert line["message"] == "Unhandled error on GET /reset-password/[token]"
