"""The shared layer stays below both apps: community.metrics and community.object_storage import neither
forum nor accounts (they call into it), so the restructuring can move either app without touching them."""

import ast
from pathlib import Path

import pytest

COMMUNITY = Path(__file__).resolve().parents[2] / "community"
SHARED = sorted([*COMMUNITY.glob("metrics/*.py"), *COMMUNITY.glob("object_storage/*.py")])


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("path", SHARED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_shared_modules_import_neither_app(path):
    apps = {module for module in imported_modules(path) if module.split(".")[0] in {"forum", "accounts"}}
    assert apps == set()


def test_the_shared_packages_exist():
    assert len(SHARED) >= 9  # a renamed folder must not turn the check above into no check
