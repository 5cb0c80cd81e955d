"""The build's one step beyond pyproject.toml: a wheel carries the project's top-level files.

templates/, static/, migrations/ and config.py stay at the top of the repository (STYLE.md,
"The house"), outside the odop_bazaar package, so a plain wheel would leave them behind. Here
build_py copies them into the built package as odop_bazaar/_bundle/, where odop_bazaar/paths.py
finds them. An editable install (`pip install -e .`, as the Makefile does) copies nothing: the
app then reads the checkout's own folders. MANIFEST.in puts the same files in the sdist.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# config.py last: odop_bazaar/paths.py takes its presence to mean the bundle is whole.
BUNDLED = ("templates", "static", "migrations", "config.py")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


class BuildPyWithBundle(build_py):
    """build_py, then copy the top-level folders and config.py into odop_bazaar/_bundle/."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        bundle = Path(self.build_lib) / "odop_bazaar" / "_bundle"
        if bundle.exists():
            shutil.rmtree(bundle)  # a file deleted from templates/ must not linger in the wheel
        bundle.mkdir(parents=True)
        for name in BUNDLED:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, bundle / name, ignore=LEFT_OUT)
            else:
                shutil.copy2(source, bundle / name)


setup(cmdclass={"build_py": BuildPyWithBundle})
