"""The status-change modules call each other only through public functions, and import each other one way.

forum.publication owns writing a post's status and what follows (counts, going public or private, telling
the author); community.claims owns the first-moderator-wins UPDATE. These checks read the source, so a
private shortcut or an import hidden inside a function to dodge a cycle shows up as a failing test.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORUM = ROOT / "forum"
STATUS_MODULES = ("services", "moderation", "flags", "sanctions", "publication")


def _tree(name: str) -> ast.Module:
    return ast.parse((FORUM / f"{name}.py").read_text(), filename=f"forum/{name}.py")


def _forum_modules() -> list[str]:
    return sorted(p.stem for p in FORUM.glob("*.py") if p.stem != "__init__")


def _forum_import(node) -> list[tuple[str, list[str]]]:
    """(forum module, names taken from it) for an import statement of a forum module, else []."""
    if isinstance(node, ast.ImportFrom):
        if node.level == 1 and node.module:
            return [(node.module.split(".")[0], [a.name for a in node.names])]
        if node.level == 1 or (node.level == 0 and node.module == "forum"):
            return [(a.name, []) for a in node.names]  # from . import services
        if node.level == 0 and (node.module or "").startswith("forum."):
            return [(node.module.split(".")[1], [a.name for a in node.names])]
    return []


def test_no_forum_module_calls_a_private_function_of_the_status_modules_or_they_of_another():
    offences = []
    modules = set(_forum_modules())
    for name in modules:
        tree = _tree(name)
        imported = {}
        for node in ast.walk(tree):
            for module, names in _forum_import(node):
                if name not in STATUS_MODULES and module not in STATUS_MODULES:
                    continue  # other modules' manners are other changes' business
                offences += [f"{name}: from .{module} import {n}" for n in names if n.startswith("_")]
                if not names and module in modules:
                    imported[module] = module
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
                and node.attr.startswith("_")
            ):
                offences.append(f"{name}: {node.value.id}.{node.attr}")
    assert offences == []


def test_status_modules_import_each_other_at_module_level_and_one_way():
    edges = {}
    hidden = []
    for name in STATUS_MODULES:
        tree = _tree(name)
        source = (FORUM / f"{name}.py").read_text().splitlines()
        top_level = {id(node) for node in tree.body}
        edges[name] = set()
        for node in ast.walk(tree):
            for module, _names in _forum_import(node):
                if module not in STATUS_MODULES:
                    continue
                edges[name].add(module)
                if id(node) not in top_level and "#" not in source[node.lineno - 1]:
                    hidden.append(f"{name} line {node.lineno}: imports {module} inside a function")
    assert hidden == []

    def reaches(start, goal, seen=()):
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, (*seen, nxt))) for nxt in edges[start]
        )

    assert [name for name in STATUS_MODULES if reaches(name, name)] == []
