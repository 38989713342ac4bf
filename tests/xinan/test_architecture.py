"""Imports point down only (docs/architecture.md). Leaf modules (enums, validators) may be
imported by anyone; views and URL modules may use the web layer's access helpers."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
# Lower layers first. An app may import from the apps before it, never after.
LAYERS = [
    "config",
    "crypto",
    "spreadsheets",
    "organisations",
    "audit",
    "notifications",
    "accounts",
    "jobs",
    "students",
    "cases",
    "dossier",
    "training",
    "reports",
    "campaigns",
    "reviews",
    "selection",
    "privacy",
    "retention",
    "exports",
    "alerts",
    "operations",
    "demo",
    "web",
]
LEAF_MODULES = {"enums", "validators"}
ON_TOP = {"views", "urls", "forms", "context_processors"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name


def _app_files():
    for path in sorted((SRC / "xinan").rglob("*.py")):
        parts = path.relative_to(SRC / "xinan").parts
        if len(parts) > 1 and parts[0] in LAYERS:
            yield parts[0], path


@pytest.mark.parametrize(("app", "path"), list(_app_files()), ids=lambda v: str(v).split("src/")[-1])
def test_imports_point_down(app, path):
    own = LAYERS.index(app)
    module_name = path.stem
    wrong = []
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] != "xinan" or len(parts) < 2 or parts[1] not in LAYERS:
            continue
        target = parts[1]
        if LAYERS.index(target) <= own or (len(parts) > 2 and parts[-1] in LEAF_MODULES):
            continue
        on_top = module_name in ON_TOP or module_name.startswith("views_") or "views" in path.parts
        if on_top and name == "xinan.web.access":
            continue
        wrong.append(name)
    assert wrong == [], f"{path.name} imports upward: {wrong}"


@pytest.mark.parametrize("package", ["xinan_deid", "xinan_reportformat"])
def test_pure_libraries_do_not_import_django_or_the_platform(package):
    root = SRC / package
    if not root.exists():
        pytest.skip(f"{package} not present")
    for path in root.rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith(("django", "xinan.")), f"{path.name} imports {name}"
