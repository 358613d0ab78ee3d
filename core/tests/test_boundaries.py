"""The direction of dependencies between apps (docs/architecture.md): domain apps never import the
public site, reports, the API or the registry's pages, and no two apps import each other, even
through others. Imports inside functions count too: they are how cycles hide."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOMAIN_APPS = [
    "geo",
    "producers",
    "products",
    "evaluation",
    "certificates",
    "areas",
    "sales",
    "promotion",
    "support",
    "market",
    "notices",
    "inspections",
]
OUTER_APPS = {"backoffice", "catalogue", "reports", "api"}
PROJECT_APPS = sorted(
    p.name for p in ROOT.iterdir() if (p / "apps.py").exists() or p.name in {"core", "config", "api"}
)


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if {"tests", "testing", "migrations"} & set(parts):
            continue
        yield path


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & set(PROJECT_APPS)


def app_graph() -> dict[str, set[str]]:
    graph = {}
    for app in PROJECT_APPS:
        targets = set()
        for path in _modules(app):
            targets |= _imported_apps(path)
        graph[app] = targets - {app}
    return graph


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_app_does_not_import_outer_apps(app):
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) & OUTER_APPS)
        for path in _modules(app)
        if _imported_apps(path) & OUTER_APPS
    }
    assert offenders == {}


def test_outer_app_detector_sees_an_import(tmp_path, monkeypatch):
    # The scan itself must be able to fail: a module importing backoffice is reported.
    module = tmp_path / "x.py"
    module.write_text("def f():\n    from backoffice.views import home\n", encoding="utf-8")
    assert _imported_apps(module) & OUTER_APPS == {"backoffice"}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def test_no_import_cycle_between_apps():
    assert _cycles(app_graph()) == []


def test_cycle_detector_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
