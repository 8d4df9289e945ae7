"""The house rules that keep the code livable, checked on the source (so a shortcut shows up as a failure):

- dependencies run one way: forum may import accounts and community; accounts only community; the shared
  layer (community/, except the project's wiring: settings, urls, asgi) neither app;
- no module imports, directly or through a chain, a module that imports it back;
- no module takes a private name (`_name`) from another module;
- imports sit at module level, except where Django requires otherwise (AppConfig.ready), with a comment.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("community", "accounts", "forum")
WIRING = {"community.settings", "community.urls", "community.asgi", "community.wsgi"}
MAY_IMPORT = {"community": {"community"}, "accounts": {"community", "accounts"}, "forum": set(APPS)}


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(tree: ast.Module, name: str):
    """(imported project module, names taken, node) for every import of a project module in `tree`."""
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS:
                    yield alias.name, [], node
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] not in APPS:
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in MODULES:
                    yield submodule, [], node
                else:
                    yield base, [alias.name], node


def _graph():
    edges, private, hidden, upward = {}, [], [], []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        lines = path.read_text().splitlines()
        top_level = {id(node) for node in tree.body}
        edges[name] = set()
        for target, names, node in _imports(tree, name):
            target_module = target if target in MODULES else target.rpartition(".")[0]
            in_function = id(node) not in top_level
            if in_function:
                commented = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
                if not (path.name == "apps.py" or commented):
                    hidden.append(f"{name} line {node.lineno}: imports {target} inside a function")
            else:
                edges[name].add(target_module)
            private += [f"{name}: from {target} import {n}" for n in names if n.startswith("_")]
            if name not in WIRING and target.split(".")[0] not in MAY_IMPORT[name.split(".")[0]]:
                upward.append(f"{name} imports {target}")
    return edges, private, hidden, upward


EDGES, PRIVATE, HIDDEN, UPWARD = _graph()


def test_the_module_list_is_the_real_tree():
    # A broken walk would make every other check here pass on nothing.
    assert {"forum.posting.services", "accounts.verification", "community.audit.log"} <= set(MODULES)
    assert len(MODULES) > 80


def test_dependencies_run_one_way_forum_to_accounts_to_community():
    assert UPWARD == []


@pytest.mark.parametrize("app", ["accounts", "community"])
def test_no_module_of_a_lower_layer_imports_forum(app):
    assert [m for m in UPWARD if m.startswith(app)] == []
    importers = [name for name, targets in EDGES.items() if name.startswith(app) and name not in WIRING]
    assert not [n for n in importers if any(t.startswith("forum") for t in EDGES[n])]


def test_no_module_imports_a_module_that_imports_it_back():
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(EDGES.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt in EDGES and state.get(nxt) is None:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(EDGES):
        if state.get(module) is None:
            visit(module, [module])
    # A package's __init__ importing its own submodule is not a cycle of two modules.
    assert [c for c in cycles if c.count(" -> ") > 0 and len(set(c.split(" -> "))) > 1] == []


def test_no_module_takes_a_private_name_from_another():
    assert PRIVATE == []


def test_imports_are_at_module_level_unless_django_requires_otherwise():
    assert HIDDEN == []
