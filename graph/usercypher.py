"""User-typed Cypher (console and saved queries): checked, read-only, time-limited, row-capped.

Two layers: this app-level check refuses what must never run (writes, LOAD CSV,
procedure calls outside an allow-list, several statements, EXPLAIN/PROFILE
prefixes), and the store then runs the query read-only (FalkorDB GRAPH.RO_QUERY
as the `reader` ACL user; Neo4j READ access in a read transaction).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from graph.errors import QueryRefused
from graph.store import Store

ALLOWED_PROCEDURES = ("db.labels", "db.relationshiptypes", "db.propertykeys")
_WRITE_WORDS = ("CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH")
_MAX_QUERY_CHARS = 20_000
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# Strings and comments are removed before the checks so neither hides nor fakes a keyword.
_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`", re.S)
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


@dataclass
class UserQueryResult:
    """Columns and rows for the console/workbench, with the truncation made explicit."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    row_cap: int


def check(query: str) -> str:
    """Return the query to run, or raise QueryRefused saying why it cannot run."""
    if not query or not query.strip():
        raise QueryRefused("the query is empty")
    if len(query) > _MAX_QUERY_CHARS:
        raise QueryRefused(f"the query is longer than {_MAX_QUERY_CHARS} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n\r" for c in query):
        raise QueryRefused("the query contains invisible or control characters; retype it")
    folded = unicodedata.normalize("NFKC", query)
    bare = _COMMENTS.sub(" ", _STRINGS.sub("''", folded))
    if re.search(r"/\*|\*/", bare):
        raise QueryRefused("the query has an unterminated comment")
    _check_statements(bare)
    _check_words(bare.upper())
    return query.strip().rstrip(";").strip()


def _check_statements(bare: str) -> None:
    if ";" in bare.strip().rstrip(";"):
        raise QueryRefused("only one statement may run at a time; remove the ';' between statements")


def _check_words(upper: str) -> None:
    if re.match(r"\s*(EXPLAIN|PROFILE)\b", upper):
        raise QueryRefused("EXPLAIN/PROFILE are not run from here; use the explain button")
    if re.search(r"\bLOAD\s+CSV\b", upper):
        raise QueryRefused("LOAD CSV is not allowed: queries may only read the graph")
    for word in _WRITE_WORDS:
        if re.search(rf"\b{word}\b", upper):
            raise QueryRefused(f"{word} is not allowed: queries may only read the graph")
    for proc in re.findall(r"\bCALL\s+([A-Z0-9_.]+)", upper):
        if proc.lower() not in ALLOWED_PROCEDURES:
            raise QueryRefused(f"procedure {proc.lower()} is not allowed (allowed: {', '.join(ALLOWED_PROCEDURES)})")
    if re.search(r"\bCALL\s*\{", upper) or re.search(r"\bCALL\s*\(", upper):
        raise QueryRefused("CALL subqueries are not allowed here")


def check_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """Parameters must be named plainly and hold JSON values (str, number, bool, null, lists, maps)."""
    out: dict[str, Any] = {}
    for name, value in (params or {}).items():
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name):
            raise QueryRefused(f"parameter name {name!r} is not allowed (letters, digits and _ only)")
        _check_value(name, value, depth=0)
        out[name] = value
    return out


def _check_value(name: str, value: Any, depth: int) -> None:
    if depth > 5:
        raise QueryRefused(f"parameter {name} is nested too deeply")
    if value is None or isinstance(value, str | int | float | bool):
        return
    if isinstance(value, list):
        for item in value:
            _check_value(name, item, depth + 1)
        return
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        for item in value.values():
            _check_value(name, item, depth + 1)
        return
    raise QueryRefused(f"parameter {name} has a value of type {type(value).__name__}, which queries cannot take")


def run_user_query(store: Store, query: str, params: dict[str, Any] | None = None,
                   timeout_ms: int = 5000, row_cap: int = 1000) -> UserQueryResult:
    """Check, then run read-only with a time limit; keep at most `row_cap` rows and say so."""
    text = check(query)
    result = store.read(text, check_params(params), timeout_ms=timeout_ms)
    truncated = len(result.rows) > row_cap
    return UserQueryResult(result.columns, result.rows[:row_cap], truncated, row_cap)


def explain_user_query(store: Store, query: str, params: dict[str, Any] | None = None) -> list[str]:
    """The plan of a user query (an `EXPLAIN` prefix is accepted here and stripped), without running it."""
    text = re.sub(r"^\s*EXPLAIN\s+", "", query, flags=re.I)
    if re.match(r"\s*PROFILE\b", text, re.I):
        raise QueryRefused("PROFILE runs the query; use explain instead")
    return store.explain(check(text), check_params(params))
