"""Saved Cypher queries: built-in `.cypher` files in queries/, and user-saved ones in the graph (graph.userqueries).

A built-in file starts with `//` header lines:

    // title: 关键词措施的牵头部门
    // description: Which departments lead measures whose text contains a keyword.
    // param: keyword string = 中试基地 -- 措施关键词
    // param: limit int = 20 -- 最多返回的部门数
    // columns: dept -- 部门名称

Parameters are also detected from `$name` in the text; the two must agree.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.cypherlex import OP, PARAM, WORD, Token, tokenize
from graph.errors import GraphError, QueryRefused
from graph.store import Store
from graph.usercypher import UserQueryResult, check, explain_user_query, run_user_query

PARAM_TYPES = ("string", "int", "float", "bool", "date", "list")
_HEADER = re.compile(r"^//\s*(title|description|param|columns)\s*:\s*(.*)$")
_PARAM = re.compile(r"^([A-Za-z_]\w*)\s+(\w+)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")
_USES = re.compile(r"\$([A-Za-z_]\w*)")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SavedQueryError(GraphError):
    """A saved query file is malformed, or a parameter value does not fit its type."""


@dataclass(frozen=True)
class Param:
    """A declared parameter: name, type, default (as text) and help."""

    name: str
    type: str
    default: str | None = None
    help: str = ""


@dataclass
class SavedQuery:
    """One saved query with its metadata."""

    name: str
    title: str
    description: str
    query: str
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    builtin: bool = True
    owner: str = ""
    created: str = ""
    updated: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse(name: str, text: str) -> SavedQuery:
    """Parse a `.cypher` file's text; raise SavedQueryError naming the problem."""
    meta: dict[str, list[str]] = {"title": [], "description": [], "param": [], "columns": []}
    body: list[str] = []
    for line in text.splitlines():
        match = _HEADER.match(line.strip()) if not body else None
        if match:
            meta[match.group(1)].append(match.group(2).strip())
        elif line.strip() or body:
            body.append(line)
    if not meta["title"]:
        raise SavedQueryError(f"{name}: missing '// title:' line")
    query = "\n".join(body).strip()
    q = SavedQuery(name, meta["title"][0], " ".join(meta["description"]), query,
                   [_param(name, p) for p in meta["param"]], meta["columns"])
    _check_params_agree(q)
    return q


def _param(name: str, spec: str) -> Param:
    match = _PARAM.match(spec)
    if not match or match.group(2) not in PARAM_TYPES:
        raise SavedQueryError(f"{name}: bad param line {spec!r} (want: NAME TYPE [= DEFAULT] [-- HELP], "
                              f"TYPE one of {', '.join(PARAM_TYPES)})")
    return Param(match.group(1), match.group(2), match.group(3), match.group(4) or "")


def used_params(query: str) -> set[str]:
    """Parameter names referenced as `$name` outside strings and comments (read by the tokenizer)."""
    try:
        return {t.text for t in tokenize(query) if t.kind == PARAM}
    except QueryRefused:  # not valid Cypher: the check refuses it when it runs; name what a scan finds
        return set(_USES.findall(query))


def _check_params_agree(q: SavedQuery) -> None:
    declared, used = {p.name for p in q.params}, used_params(q.query)
    if declared != used:
        raise SavedQueryError(f"{q.name}: declared params {sorted(declared)} differ from $params used {sorted(used)}")


def coerce(q: SavedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """Typed parameter values from user input (strings from forms/CLI) plus defaults."""
    out: dict[str, Any] = {}
    for p in q.params:
        raw = given.get(p.name, p.default)
        if raw is None or raw == "":
            raise SavedQueryError(f"parameter '{p.name}' ({p.type}) is required")
        out[p.name] = _coerce_value(p, raw)
    unknown = set(given) - {p.name for p in q.params}
    if unknown:
        raise SavedQueryError(f"unknown parameter(s) {', '.join(sorted(unknown))} for query {q.name}")
    return out


def _coerce_value(p: Param, raw: Any) -> Any:
    text = str(raw).strip()
    try:
        if p.type == "int":
            return int(text)
        if p.type == "float":
            return float(text)
        if p.type == "bool":
            if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("true", "1", "yes")
        if p.type == "date":
            return _iso_date(text)
        if p.type == "list":
            return raw if isinstance(raw, list) else [s.strip() for s in re.split(r"[,，、]", text) if s.strip()]
    except ValueError:
        raise SavedQueryError(f"parameter '{p.name}' must be a {p.type}, got {text!r}") from None
    return text


def _iso_date(text: str) -> str:
    if text.lower() in ("today", "今天"):  # lets a file default to the day it runs (e.g. overdue measures)
        return datetime.now(UTC).date().isoformat()
    for fmt, width in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            datetime.strptime(text, fmt)
            return text[:width]
        except ValueError:
            continue
    raise ValueError(text)


class QueryLibrary:
    """Built-in queries (read-only files) and user-saved ones (in the graph, when a store is given).

    `user_dir` is where earlier versions kept user queries as JSON files: they are moved into the graph
    the first time user queries are read."""

    def __init__(self, builtin_dir: Path, user_dir: Path | None = None, store: Store | None = None) -> None:
        self.builtin_dir = Path(builtin_dir)
        self.user_dir = Path(user_dir) if user_dir else None
        self._users: Any = None
        if store is not None:
            from graph.userqueries import UserQueryStore

            self._users = UserQueryStore(store)
        self._lock = threading.Lock()
        self._migrated = False

    def all(self) -> list[SavedQuery]:
        """Every query, built-in first, each group sorted by name."""
        builtin = [parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(self.builtin_dir.glob("*.cypher"))]
        return builtin + self._user_queries()

    def get(self, name: str) -> SavedQuery:
        for q in self.all():
            if q.name == name:
                return q
        raise SavedQueryError(f"no saved query named {name!r}")

    def run(self, store: Store, name: str, given: dict[str, Any], timeout_ms: int = 5000,
            row_cap: int = 1000, byte_cap: int = 0) -> UserQueryResult:
        """Run a saved query with typed parameters through the read-only user-query path (the same
        checks as the console: a user-saved file edited on disk is refused here)."""
        q = self.get(name)
        return run_user_query(store, q.query, coerce(q, given), timeout_ms=timeout_ms, row_cap=row_cap,
                              byte_cap=byte_cap)

    # -- user-saved queries --------------------------------------------------
    def save(self, name: str, title: str, description: str, query: str, params: list[Param],
             owner: str) -> SavedQuery:
        """Create or replace a user query after the same read-only checks as the console."""
        if self._users is None:
            raise SavedQueryError("user queries are not enabled (no graph store)")
        if not _NAME.match(name):
            raise SavedQueryError("a query name uses lower-case letters, digits, - and _ (at most 64)")
        if (self.builtin_dir / f"{name}.cypher").exists():
            raise SavedQueryError(f"{name!r} is a built-in query; choose another name")
        check(query)
        q = SavedQuery(name, title.strip() or name, description.strip(), query.strip(), params, [],
                       builtin=False, owner=owner)
        _check_params_agree(q)
        # The engine's parser sees it before it is saved: a syntax error is refused here, not at first run.
        explain_user_query(self._users.store, q.query, {p.name: None for p in q.params})
        self._user_queries()  # migrate first, so an old file never overwrites this save
        with self._lock:
            return self._users.save(q)

    def delete(self, name: str) -> None:
        if self._users is None or not self._users.delete(name):
            raise SavedQueryError(f"no user query named {name!r}")

    def _user_queries(self) -> list[SavedQuery]:
        if self._users is None:
            return []
        if not self._migrated and self.user_dir is not None:
            with self._lock:
                if not self._migrated:
                    self._users.migrate_files(self.user_dir)
                    self._migrated = True
        return self._users.all()


def lint(q: SavedQuery) -> list[str]:
    """Constructs outside the portable FalkorDB/Neo4j subset, or that the user-query check refuses."""
    try:
        tokens = tokenize(q.query)
    except QueryRefused as e:
        return [str(e)]
    problems = _non_portable(tokens)
    try:
        check(q.query)
    except QueryRefused as e:
        problems.append(str(e))
    return list(dict.fromkeys(problems))


_FUNCTION_NOTES = {
    "shortestpath": "use allShortestPaths(...) LIMIT 1 in MATCH, not shortestPath()",
    "datetime": "temporal functions differ: compare ISO date strings",
    "date": "temporal functions differ: compare ISO date strings",
    "localdatetime": "temporal functions differ: compare ISO date strings",
    "duration": "temporal functions differ: compare ISO date strings",
    "id": "id() is engine-internal: use the id property",
    "elementid": "elementId() is Neo4j-only: use the id property",
    "substring": "substring() breaks Chinese text on FalkorDB (cuts inside a UTF-8 character)",
}
_BRACE_NOTES = {"EXISTS": "EXISTS { } subqueries are not portable", "COUNT": "COUNT { } subqueries are not portable",
                "CALL": "CALL subqueries are not portable"}


def _non_portable(tokens: list[Token]) -> list[str]:
    """Portability problems read from the tokens (strings and comments cannot trip them)."""
    out = []
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        after = nxt.text if nxt is not None and nxt.kind in (OP, WORD) else ""
        if t.kind == OP and t.text == "=~":
            out.append("regex match =~ is not supported by FalkorDB")
        if t.kind != WORD or (i and tokens[i - 1].text == "." and tokens[i - 1].kind == OP):
            continue
        name = t.text.lower()
        if after == "(" and name in _FUNCTION_NOTES:
            out.append(_FUNCTION_NOTES[name])
        if after in ("{", "(") and t.upper in _BRACE_NOTES and (after == "{" or t.upper == "CALL"):
            out.append(_BRACE_NOTES[t.upper])
        if t.upper == "LOAD" and after.upper() == "CSV":
            out.append("LOAD CSV is never allowed")
        if t.upper in ("CREATE", "DROP") and after.upper() in ("INDEX", "CONSTRAINT"):
            out.append("DDL does not belong in a saved query")
        if name == "round" and after == "(" and _has_second_argument(tokens, i + 1):
            out.append("round(x, n) is not supported by FalkorDB")
    return out


def _has_second_argument(tokens: list[Token], open_at: int) -> bool:
    depth = 0
    for t in tokens[open_at:]:
        if t.kind != OP:
            continue
        depth += t.text in "([{"
        depth -= t.text in ")]}"
        if depth == 0:
            return False
        if depth == 1 and t.text == ",":
            return True
    return False


__all__ = ["QueryLibrary", "SavedQuery", "Param", "SavedQueryError", "parse", "coerce", "lint"]
