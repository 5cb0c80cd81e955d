"""The built package runs by itself: `python -m build`, install the wheel, serve pages.

The build goes through the sdist (as `python -m build` does), so MANIFEST.in and setup.py's
bundle are both on trial. The wheel is installed, without its dependencies, into a new virtual
environment whose interpreter takes the dependencies from this one's site-packages through
PYTHONPATH (which, unlike a .pth file, runs no editable-install hook, so the checkout cannot
stand in for the wheel). Then, in a folder outside the checkout: `flask db upgrade`,
`flask import-odop` and gunicorn, asked over HTTP for the home page, a static file and a Hindi
page. Nothing here is skipped: the build needs setuptools from PyPI (or pip's cache), which CI
reaches. About 20 s; `-m "not packaging"` leaves it out of a quick local run.
"""

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from tests.conftest import free_port, scratch_database

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_FOLDERS = ("templates", "static", "migrations")
# What a checkout holds that a build must not read: environments, caches, earlier builds.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "venv", "instance", "build", "dist", "*.egg-info",
                                    "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache",
                                    "test-artifacts", "node_modules")

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `python -m build` makes from a copy of the checkout (sdist first, then wheel)."""
    work = tmp_path_factory.mktemp("build")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(source)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [built] = (work / "dist").glob("odop_bazaar-*.whl")
    return built


def _checkout_files(folder: str) -> set[str]:
    return {path.relative_to(ROOT).as_posix() for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def test_the_wheel_carries_everything_the_app_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in BUNDLED_FOLDERS:
        missing = {name for name in _checkout_files(folder) if f"odop_bazaar/_bundle/{name}" not in names}
        assert missing == set(), folder
    for needed in ("odop_bazaar/_bundle/config.py", "odop_bazaar/wsgi.py",
                   "odop_bazaar/_bundle/migrations/env.py", "odop_bazaar/_bundle/migrations/alembic.ini",
                   "odop_bazaar/translations/hi/LC_MESSAGES/messages.mo",
                   "odop_bazaar/data/odop/odop_products.csv", "odop_bazaar/data/odop/lgd_districts.csv"):
        assert needed in names
    # One top-level name in site-packages: no stray `config` or `wsgi` module, no tests.
    dist_info = wheel.name.split("-py3")[0] + ".dist-info"
    assert {name.split("/")[0] for name in names} == {"odop_bazaar", dist_info}
    assert not any("__pycache__" in name for name in names)


def test_the_wheel_declares_its_licence_and_dependency_floors(wheel):
    with zipfile.ZipFile(wheel) as archive:
        [metadata_name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    assert metadata["License-Expression"] == "MIT"
    requires = {line.split(";")[0].replace(" ", "") for line in metadata.get_all("Requires-Dist")}
    assert "stripe<17,>=12.5" in requires  # StripeClient.v1 arrived in 12.5
    for imported_directly in ("babel", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click"):
        assert any(line.lower().startswith(imported_directly) for line in requires), imported_directly


@pytest.fixture
def installed(wheel, tmp_path) -> Path:
    """A new virtual environment with only the wheel installed in it; its python."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True, timeout=300)
    return python


def _environment(database_url: str, port: int) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ODOP_", "FLASK_", "CACHE_", "RATELIMIT_", "STORAGE_", "S3_", "STRIPE_",
                                "JOB_", "GUNICORN_"))
           and k not in ("DATABASE_URL", "SECRET_KEY", "SERVER_NAME", "PYTHONPATH", "VIRTUAL_ENV",
                         "WEB_CONCURRENCY", "ALLOW_PER_PROCESS_STATE", "PROMETHEUS_MULTIPROC_DIR")}
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    env.update(PYTHONPATH=os.pathsep.join(sorted(dependencies)), ODOP_CONFIG="production",
               SECRET_KEY="packaging-test", DATABASE_URL=database_url,  # nosec B105
               SERVER_NAME=f"127.0.0.1:{port}", MAIL_BACKEND="memory")
    return env


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # nosec B310 (a local server)
        return response.status, response.headers.get("Content-Type", ""), response.read()


def _serve(python: Path, cwd: Path, env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen([str(python), "-m", "gunicorn", "--workers", "1", "--bind",
                               f"127.0.0.1:{port}", "odop_bazaar.wsgi:app"],
                              cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(server.stdout.read().decode())
        try:
            _get(f"http://127.0.0.1:{port}/static/css/app.css")
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("gunicorn did not answer within 30 s")


def test_the_installed_wheel_migrates_and_serves_pages_outside_the_checkout(installed, tmp_path):
    site = tmp_path / "site"  # an operator's folder: no config.py, no templates, no checkout
    site.mkdir()
    port = free_port()
    with scratch_database(tmp_path) as database_url:
        env = _environment(database_url, port)

        def python(*args):
            result = subprocess.run([str(installed), *args], cwd=site, env=env, capture_output=True,
                                    text=True, timeout=300)
            assert result.returncode == 0, result.stderr[-3000:]
            return result.stdout + result.stderr

        def flask(*args):
            return python("-m", "flask", "--app", "odop_bazaar.wsgi", *args)

        where = python("-c", "import odop_bazaar.wsgi as w; print(w.__file__, w.app.template_folder)")
        assert str(installed.parent.parent) in where and str(ROOT) not in where
        flask("db", "upgrade")
        # The bundled migrations, all of them: the checkout's newest revision is the head.
        newest = max(path.name.split("_")[0] for path in (ROOT / "migrations" / "versions").glob("0*.py"))
        assert f"{newest} (head)" in flask("db", "current")
        assert "States/UTs added: 36" in flask("import-odop")  # the bundled ODOP data

        server = _serve(installed, site, env, port)
        try:
            status, _, home = _get(f"http://127.0.0.1:{port}/")
            assert status == 200
            page = home.decode()
            assert "The best of every district" in page and "Uttar Pradesh" in page
            stylesheet = page.split('href="/static/css/app.css?v=', 1)[1].split('"', 1)[0]
            status, kind, css = _get(f"http://127.0.0.1:{port}/static/css/app.css?v={stylesheet}")
            assert (status, kind.split(";")[0]) == (200, "text/css")
            assert css == (ROOT / "static" / "css" / "app.css").read_bytes()
            status, _, hindi = _get(f"http://127.0.0.1:{port}/hi/")
            assert status == 200 and "ओडीओपी बाज़ार" in hindi.decode()  # the compiled catalogue
        finally:
            server.terminate()
            server.wait(timeout=30)
    # The app's instance folder is where it was started, never inside site-packages.
    assert (site / "instance").is_dir()
    assert not list(installed.parent.parent.glob("lib/*/site-packages/odop_bazaar/**/instance"))


def test_the_package_reaches_config_only_through_paths():
    """An installed wheel has no top-level `config` module (its config.py is in the bundle):
    any other `import config` in the package would work in the checkout and fail installed."""
    reaches = []
    for path in sorted((ROOT / "odop_bazaar").rglob("*.py")):
        if path.name == "paths.py" and path.parent.name == "odop_bazaar":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            reaches += [f"{path.relative_to(ROOT)}:{node.lineno}" for name in names
                        if name == "config" or (name or "").startswith("config.")]
    assert reaches == []
