"""The code's shape: every behaviour has one obvious room, and each room is small enough to read.

These read the source (with the ast module), so a change that breaks the layout fails here
before review: a module over 400 lines, a function over 50, a view over 30, a reach into
another package's private names, a test module used as a library, or a status column set by
hand outside the workflow module.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "odop_bazaar"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50
MAX_VIEW_LINES = 30
VIEW_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def _modules():
    return sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _length(node) -> int:
    return node.end_lineno - node.lineno + 1


def _is_view(node) -> bool:
    for decorator in node.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in VIEW_DECORATORS:
            return True
    return False


def _parsed():
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in _modules()]


def test_no_module_is_longer_than_a_sitting():
    long = {_name(path): lines for path in _modules()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_is_longer_than_a_screen():
    long = {f"{_name(path)}:{node.name}": _length(node) for path, tree in _parsed()
            for node in _functions(tree) if _length(node) > MAX_FUNCTION_LINES}
    assert long == {}


def test_views_are_thin():
    long = {f"{_name(path)}:{node.name}": _length(node) for path, tree in _parsed()
            for node in _functions(tree) if _is_view(node) and _length(node) > MAX_VIEW_LINES}
    assert long == {}


def _package_of(module: str) -> str:
    """odop_bazaar.services.orders.checkout -> odop_bazaar.services.orders"""
    return module.rsplit(".", 1)[0]


def test_no_package_reaches_into_another_packages_private_names():
    reaches = []
    for path, tree in _parsed():
        here = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                    and node.module.startswith("odop_bazaar"):
                if _package_of(node.module) == _package_of(here):
                    continue
                reaches += [f"{_name(path)}: {node.module}.{alias.name}" for alias in node.names
                            if alias.name.startswith("_")]
    assert reaches == []


def test_test_modules_are_not_libraries():
    imports = [f"{_name(path)}: {line.strip()}" for path in sorted((ROOT / "tests").rglob("*.py"))
               for line in path.read_text(encoding="utf-8").splitlines()
               if re.match(r"\s*from tests\.(\w+\.)*test_\w+ import", line)]
    assert imports == []


# A status is set only in services/workflow.py (transition and claim); a model's
# own column default and a new object's first status (`status=...` in its constructor) are not moves.
RAW_STATUS = re.compile(r"\.(status|state)\s*=[^=]|update\([^)]*\)\.values\([^)]*\b(status|state)\s*=")


def test_no_status_is_set_outside_the_workflow():
    raw = []
    for path in _modules():
        if path.name == "workflow.py" or "devdata" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if RAW_STATUS.search(line) and not line.lstrip().startswith("#"):
                raw.append(f"{_name(path)}:{number}: {line.strip()}")
    assert raw == []


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_every_module_says_what_it_is_for(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{_name(path)} has no module docstring"


def test_every_checklist_section_has_its_module_form_and_pages(app):
    """A section is found by its key in four places (onboarding/forms.py's SectionForm, the
    sections package, and a page each for the seller and for staff): a key missing from any
    of them would only show as a 500 when someone opens that section."""
    from odop_bazaar.models.checklist import SectionKey
    from odop_bazaar.onboarding.forms import SectionForm
    from odop_bazaar.services.sellers import SPEC

    missing = []
    for key in SectionKey:
        section = SPEC.get(key)
        if section is None:
            missing.append(f"{key}: no module in services/sellers/sections")
            continue
        for template in (section.template, section.review_template):
            if not (ROOT / "templates" / template).is_file():
                missing.append(f"{key}: no templates/{template}")
        if section.check is not None:  # Aadhaar has a service and a form of its own
            try:
                SectionForm.of(key)
            except LookupError:
                missing.append(f"{key}: no SectionForm in onboarding/forms.py")
    assert missing == []
