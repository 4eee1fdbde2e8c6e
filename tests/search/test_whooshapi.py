"""The fence around Whoosh's internals (search/whooshapi.py): the version it was checked against, every
internal it lists present in the installed Whoosh, and no other module of search/ reaching past it."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from functools import cache
from pathlib import Path

import pytest
import whoosh

from search import whooshapi
from search.whooshapi import RELIES_ON, WHOOSH_VERSION, Internal

SEARCH = Path(__file__).resolve().parents[2] / "search"
FENCE = "search/whooshapi.py"
WHOOSH_DIR = Path(whoosh.__file__).parent


def test_the_installed_whoosh_is_the_release_the_fence_was_checked_against() -> None:
    installed = tuple(whoosh.__version__[:3])
    assert installed == WHOOSH_VERSION, (
        f"{FENCE} was checked against Whoosh {'.'.join(map(str, WHOOSH_VERSION))}, but Whoosh "
        f"{whoosh.versionstring()} is installed: re-check every internal listed in {FENCE}'s docstring "
        "(docs/SEARCH.md, 'Upgrading Whoosh'), run tests/search, then set WHOOSH_VERSION")


def _owner(item: Internal) -> object:
    target: object = importlib.import_module(item.module)
    for part in filter(None, item.owner.split(".")):
        target = getattr(target, part)
    return target


def _sources(cls: type) -> str:
    """The source of a Whoosh class and of its Whoosh bases."""
    return "\n".join(inspect.getsource(c) for c in cls.__mro__ if c.__module__.startswith("whoosh"))


@pytest.mark.parametrize("item", RELIES_ON, ids=lambda i: f"{i.module}.{i.owner or '<module>'}.{i.name}")
def test_every_internal_the_fence_lists_exists_in_the_installed_whoosh(item: Internal) -> None:
    owner = _owner(item)
    where = f"{item.module}.{item.owner + '.' if item.owner else ''}{item.name}"
    message = f"{FENCE} relies on {where} ({item.kind}), which Whoosh {whoosh.versionstring()} lacks"
    if item.kind == "global":
        assert hasattr(owner, item.name), message
    elif item.kind == "method":
        assert callable(getattr(owner, item.name, None)), message
    else:
        assert isinstance(owner, type)
        assert hasattr(owner, item.name) or re.search(rf"self\.{item.name}\b", _sources(owner)), message
    assert f"`{item.name}`" in (whooshapi.__doc__ or ""), f"{where} is not named in {FENCE}'s docstring"


@cache
def _whoosh_private_names() -> frozenset[str]:
    """Every private attribute or method name Whoosh's own code defines or uses on its objects."""
    names: set[str] = set()
    for path in WHOOSH_DIR.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        names |= set(re.findall(r"\bself\.(_[A-Za-z]\w*)", text)) | set(re.findall(r"\bdef (_[A-Za-z]\w*)", text))
    return frozenset(names)


def _whoosh_bases(module: object, node: ast.ClassDef) -> list[type]:
    cls = getattr(module, node.name, None)
    if not isinstance(cls, type):
        return []
    return [c for c in cls.__mro__ if c.__module__.startswith("whoosh")]


def _violations(path: Path) -> list[str]:
    """Uses of Whoosh's private names in one module that the fence does not list or route."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = importlib.import_module(f"search.{path.stem}")
    listed = {i.name for i in RELIES_ON}
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            out += [f"{path.name}:{node.lineno} imports {node.module}.{a.name}" for a in node.names
                    if a.name.startswith("_")]
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls") or (
                isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "super")
            if not own and node.attr in _whoosh_private_names():
                out.append(f"{path.name}:{node.lineno} reads {ast.unparse(node)} (go through {FENCE})")
        if isinstance(node, ast.ClassDef) and (bases := _whoosh_bases(module, node)):
            theirs = set(re.findall(r"\bself\.(_[A-Za-z]\w*)|\bdef (_[A-Za-z]\w*)", "\n".join(
                inspect.getsource(b) for b in bases)))
            private = {a or b for a, b in theirs}
            for sub in ast.walk(node):
                name = sub.attr if isinstance(sub, ast.Attribute) else sub.name if isinstance(
                    sub, ast.FunctionDef) else None
                if name in private and name not in listed:
                    out.append(f"{path.name}:{sub.lineno} {node.name} uses Whoosh's {name}, not listed in {FENCE}")
    return out


def test_no_module_of_search_reaches_whoosh_internals_past_the_fence() -> None:
    found = [v for path in sorted(SEARCH.glob("*.py")) if path.name != "whooshapi.py" for v in _violations(path)]
    assert found == []


def test_the_scan_sees_a_private_read(tmp_path: Path) -> None:
    """The scan above can fail: a module reading a matcher's block directly is reported."""
    assert "_data" in _whoosh_private_names() and "_read_data" in _whoosh_private_names()
    tree = ast.parse("def f(m):\n    return m._data\n")
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in _whoosh_private_names()]
    assert [ast.unparse(n) for n in reads] == ["m._data"]
