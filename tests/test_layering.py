"""The import graph flows one way: core ← loaders ← (graph, search) ← webapp, with no private imports across.

Every module of the five packages is parsed (ast, imports inside functions included) and its imports are
checked against the layering rules: core imports none of the others; graph and search never import loaders
or webapp; loaders never imports webapp; and no module imports a private name (`_x`) or a private module
from another package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "loaders", "graph", "search", "webapp")
# package → the packages it may not import
FORBIDDEN = {
    "core": {"loaders", "graph", "search", "webapp"},
    "graph": {"loaders", "webapp"},
    "search": {"loaders", "webapp"},
    "loaders": {"webapp"},
    "webapp": set(),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str, str | None]]:
    """(line, imported module, imported name or None) for every import statement of a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield node.lineno, base, alias.name


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """The layering rules a module's source breaks, one line each."""
    own = module.split(".")[0]
    out = []
    for line, target, name in _imports(ast.parse(source), module, is_package):
        top = target.split(".")[0]
        if top not in PACKAGES or top == own:
            continue
        shown = f"{module}:{line}: imports {target}" + (f".{name}" if name else "")
        if top in FORBIDDEN[own]:
            out.append(f"{shown} ({own} may not import {top})")
        if any(_is_private(part) for part in target.split(".")[1:]) or (name is not None and _is_private(name)):
            out.append(f"{shown} (a private name of another package: make it public or move it to core)")
    return out


def _modules() -> list[Path]:
    found = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]
    assert {p.relative_to(ROOT).parts[0] for p in found} == set(PACKAGES), "a package is missing"
    return found


def test_packages_import_one_way_and_nothing_private_across() -> None:
    broken = []
    for path in _modules():
        broken += violations(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")
    assert not broken, "\n".join(broken)


def test_core_is_imported_by_the_packages_it_serves() -> None:
    """core is the shared vocabulary, not a side module: loaders, graph and search all use it."""
    users = set()
    for path in _modules():
        tops = {t.split(".")[0] for _, t, _ in _imports(ast.parse(path.read_text(encoding="utf-8")),
                                                        _module_name(path), path.name == "__init__.py")}
        if "core" in tops:
            users.add(_module_name(path).split(".")[0])
    assert {"loaders", "graph", "search", "webapp"} <= users


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("core.text", "from loaders.read import read_file", "core may not import loaders"),
    ("graph.store", "def f():\n    import loaders.load", "graph may not import loaders"),
    ("search.index", "from webapp import create_app", "search may not import webapp"),
    ("loaders.load", "from webapp.uploads import Upload", "loaders may not import webapp"),
    ("webapp.app", "from graph.engine import _die_with_parent", "a private name of another package"),
    ("webapp.app", "from search._internal import x", "a private name of another package"),
    ("graph.sub.mod", "from ...loaders import records", "graph may not import loaders"),
])
def test_the_checker_catches_each_kind_of_violation(module: str, source: str, expected: str) -> None:
    found = violations(source, module)
    assert any(expected in v for v in found), found


def test_the_checker_allows_what_the_layering_allows() -> None:
    allowed = ("from core.records import Extraction\nfrom graph.errors import GraphError\n"
               "from search.index import SearchIndex\nfrom __future__ import annotations\nimport os._private")
    assert violations(allowed, "loaders.__main__") == []
    assert violations("from graph._engine import _x", "graph.store") == []  # private within a package is fine
