"""The README's curl session, run as written against a live app with `make run`'s data: if an
endpoint, a field or an id in it changes, this fails before a newcomer finds out."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import make_test_app
from tests.live import serve

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_session() -> str:
    text = README.read_text()
    start = text.index("A session against `make run`")
    return re.search(r"```sh\n(.*?)```", text[start:], re.S).group(1)


@pytest.fixture
def demo_app(shared_database_url, tmp_path):
    url = shared_database_url or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    for app in make_test_app(shared_database_url, tmp_path, RATELIMIT_ENABLED=False):
        runner = app.test_cli_runner()
        assert runner.invoke(args=["import-odop"]).exit_code == 0
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
        yield app, url


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_readme_curl_session_works_as_written(demo_app, tmp_path):
    app, database_url = demo_app
    Image.new("RGB", (1200, 900), (150, 20, 40)).save(tmp_path / "dupatta.jpg", quality=90)
    script = readme_session().replace(".venv/bin/flask", f"{sys.executable} -m flask")
    root = README.parent
    env = {**os.environ, "FLASK_APP": str(root / "wsgi.py"), "ODOP_CONFIG": "development",
           "DATABASE_URL": database_url, "PYTHONPATH": str(root)}
    with serve(app) as base:
        script = script.replace("B=http://127.0.0.1:5000", f"B={base}")
        # Each answer on its own line, so the steps can be told apart.
        script = 'curl() { command curl "$@"; echo; }\n' + script
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answers = [line for line in done.stdout.splitlines() if line]
    assert '"name":"Silk Products"' in answers[0] and '"id":1167' in answers[0]
    assert re.search(r'"id":\d+', answers[1]) and '"status":"draft"' in answers[1]
    assert "Add at least one photo." in answers[1]
    assert '"status":"submitted"' in answers[3]
    assert '"title":"Katan silk dupatta with meenakari border"' in answers[4]
    assert '"title":"Katan silk dupatta with meenakari border"' in answers[6]
    assert '"reason_codes":["Choose a reason, or write a note for the seller."]' in answers[7]
