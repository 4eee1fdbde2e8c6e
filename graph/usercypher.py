"""User-typed Cypher (console and saved queries): checked, read-only, time-limited, row-capped.

Two layers: this app-level check refuses what must never run (writes, LOAD CSV,
procedure calls outside an allow-list, several statements, EXPLAIN/PROFILE
prefixes), and the store then runs the query read-only (FalkorDB GRAPH.RO_QUERY
as the `reader` ACL user; Neo4j READ access in a read transaction).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from graph.cypherlex import OP, QUOTED, WORD, Token, refuse, tokenize
from graph.errors import QueryRefused
from graph.store import Store, row_bytes

ALLOWED_PROCEDURES = ("db.labels", "db.relationshiptypes", "db.propertykeys")
MAX_QUERY_CHARS = 10_000
MAX_TOKENS = 2_000
MAX_PARAMS_CHARS = 100_000
# The engine's parser takes time exponential in nesting: measured on FalkorDB 4.16, 16 NOT in a row
# 0.26 s (doubling with each NOT; 24 would take about a minute), 10 × `NOT (` 1.6 s, 14 brackets
# 35 ms, 16 brackets with `1+` 0.16 s.  A bracket costs 1 and a prefix NOT/-/+ costs 1 on top of the
# brackets around it; at 12 the slowest shape measured parses in 40 ms.  The saved queries need 3.
MAX_NESTING = 12
MAX_PREFIX_RUN = 3
# Words that a read-only query never needs, refused wherever they stand unquoted: clauses that write,
# load or administer, and the words that only occur inside those clauses.
_WRITE_WORDS = ("CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH")
_DENIED_WORDS = frozenset(_WRITE_WORDS + (
    "LOAD", "CSV", "FROM", "HEADERS", "FIELDTERMINATOR", "USING", "PERIODIC", "COMMIT", "EXPLAIN", "PROFILE",
    "INDEX", "CONSTRAINT", "ASSERT", "ON", "SHOW", "GRANT", "REVOKE", "DENY", "USE", "TERMINATE", "ALTER",
    "TRANSACTIONS", "START"))
# Keywords of the read-only subset (a keyword followed by a bracket is not a function call).
_KEYWORDS = frozenset((
    "MATCH", "OPTIONAL", "WHERE", "WITH", "UNWIND", "RETURN", "ORDER", "BY", "SKIP", "LIMIT", "UNION", "ALL",
    "DISTINCT", "AS", "ASC", "ASCENDING", "DESC", "DESCENDING", "AND", "OR", "XOR", "NOT", "IN", "IS", "NULL",
    "TRUE", "FALSE", "CONTAINS", "STARTS", "ENDS", "CASE", "WHEN", "THEN", "ELSE", "END", "CALL", "YIELD"))
_CLAUSE_STARTS = frozenset(("MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"))
FUNCTIONS = frozenset((
    "count", "collect", "min", "max", "avg", "sum", "stdev", "stdevp", "percentilecont", "percentiledisc",
    "labels", "type", "properties", "keys", "coalesce", "size", "head", "last", "tail", "range", "reverse",
    "tointeger", "tofloat", "tostring", "toboolean", "tointegerornull", "tofloatornull", "tostringornull",
    "tobooleanornull", "tolower", "toupper", "trim", "ltrim", "rtrim", "replace", "substring", "left", "right",
    "split", "length", "nodes", "relationships", "startnode", "endnode", "reduce", "any", "all", "none",
    "single", "exists", "isempty", "abs", "ceil", "floor", "round", "sign", "sqrt", "log", "log10", "exp",
    "e", "pi", "shortestpath", "allshortestpaths", "id", "haslabels", "indegree", "outdegree", "tojson"))
_PREFIX_AFTER = frozenset(("(", "[", "{", ",", "=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%",
                           "^", ":", "|", ".."))
_CLOSE = {")": "(", "]": "[", "}": "{"}
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_REFUSED_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn")


@dataclass
class UserQueryResult:
    """Columns and rows for the console/workbench, with the truncation made explicit."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    row_cap: int
    truncated_by: str = ""  # "rows" or "bytes" when truncated
    byte_cap: int = 0

    @property
    def notice(self) -> str:
        """The Chinese truncation notice shown with the table ("" when nothing was cut)."""
        if self.truncated_by == "bytes":
            return (f"结果已截断：结果超过 {self.byte_cap // (1024 * 1024) or 1} MB 的大小上限，只显示前 "
                    f"{len(self.rows)} 行。请少返回长文本列，或加 LIMIT。")
        if self.truncated:
            return f"结果已截断：只显示前 {self.row_cap} 行（行数上限）。请加 LIMIT 或更具体的条件。"
        return ""


def check(query: str) -> str:
    """Return the query to run, or raise QueryRefused saying why (and where) it cannot run."""
    if not query or not query.strip():
        raise QueryRefused("the query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"the query is longer than {MAX_QUERY_CHARS} characters")
    for i, c in enumerate(query):
        if unicodedata.category(c) in _REFUSED_CATEGORIES and c not in "\t\n\r":
            raise refuse(query, i, "the query contains invisible or control characters; retype it")
    tokens = tokenize(query)
    if not tokens:
        raise QueryRefused("the query is empty")
    if len(tokens) > MAX_TOKENS:
        raise QueryRefused(f"the query is longer than {MAX_TOKENS} tokens")
    end = len(query)
    if tokens[-1].text == ";" and tokens[-1].kind == OP:
        end, tokens = tokens[-1].pos, tokens[:-1]
        if not tokens:
            raise QueryRefused("the query is empty")
    _Checker(query, tokens).run()
    return query[:end].strip()  # without a final ';' and whatever comment follows it


class _Checker:
    """One pass over the tokens: statement shape, words, calls, brackets, nesting and prefix chains."""

    def __init__(self, query: str, tokens: list[Token]) -> None:
        self.query, self.tokens = query, tokens
        self.frames: list[tuple[str, int]] = []  # open bracket and its cost
        self.run_length = 0  # prefix operators in a row

    def fail(self, token: Token, why: str, syntax: bool = False) -> QueryRefused:
        return refuse(self.query, token.pos, why, syntax)

    def run(self) -> None:
        first = self.tokens[0]
        if first.upper in ("EXPLAIN", "PROFILE"):
            raise self.fail(first, "EXPLAIN/PROFILE are not run from here; use the explain button")
        for i, token in enumerate(self.tokens):
            prev = self.tokens[i - 1] if i else None
            if token.kind == OP:
                self.op(token, prev)
            elif token.kind in (WORD, QUOTED):
                self.name(i, token, prev)
            else:
                self.run_length = 0
        if self.frames:
            raise self.fail(self.tokens[-1], f"a '{self.frames[-1][0]}' is never closed", syntax=True)
        self.clause_starts()

    def clause_starts(self) -> None:
        starts = [0] + [i + 1 for i, t in enumerate(self.tokens) if t.upper == "UNION"]
        for i in starts:
            if i and i < len(self.tokens) and self.tokens[i].upper == "ALL":
                i += 1
            token = self.tokens[min(i, len(self.tokens) - 1)]
            if token.upper not in _CLAUSE_STARTS:
                raise self.fail(token, "a query starts with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN or CALL")

    def op(self, token: Token, prev: Token | None) -> None:
        text = token.text
        if text == ";":
            raise self.fail(token, "only one statement may run at a time; remove the ';' between statements")
        if text == "=~":
            raise self.fail(token, "regular expressions (=~) are not allowed; use CONTAINS / STARTS WITH")
        if text == "+=":
            raise self.fail(token, "+= is not allowed: queries may only read the graph")
        if text in "([{":
            self.frames.append((text, 1 + self.run_length))
            self.run_length = 0
            self.nesting(token)
        elif text in _CLOSE:
            if not self.frames or self.frames[-1][0] != _CLOSE[text]:
                raise self.fail(token, f"an unmatched '{text}'", syntax=True)
            self.frames.pop()
            self.run_length = 0
        elif text in "+-" and _prefix_position(prev):
            self.prefix(token)
        else:
            self.run_length = 0

    def prefix(self, token: Token) -> None:
        self.run_length += 1
        if self.run_length > MAX_PREFIX_RUN:
            raise self.fail(token, f"more than {MAX_PREFIX_RUN} NOT/-/+ in a row; simplify the expression")
        self.nesting(token)

    def nesting(self, token: Token) -> None:
        depth = sum(cost for _b, cost in self.frames) + self.run_length
        if depth > MAX_NESTING:
            raise self.fail(token, f"the expression is nested too deeply (more than {MAX_NESTING} levels of "
                                   "brackets and NOT); simplify it")

    def name(self, i: int, token: Token, prev: Token | None) -> None:
        after_dot = prev is not None and prev.kind == OP and prev.text == "."
        if token.kind == WORD and not after_dot:
            word = token.upper
            if word == "NOT":
                self.prefix(token)
                return
            if word in _DENIED_WORDS:
                raise self.fail(token, _denied(word))
            if word == "CALL":
                self.call(i)
        self.run_length = 0
        if after_dot:
            return
        name, end = self.dotted(i)
        if end < len(self.tokens) and self.tokens[end].text == "(" and self.tokens[end].kind == OP:
            self.function(i, name, end - i > 1)

    def dotted(self, i: int) -> tuple[str, int]:
        """The name `a.b.c` starting at token i, and the index of the token after it."""
        parts, j = [self.tokens[i]], i + 1
        while (j + 1 < len(self.tokens) and self.tokens[j].text == "." and self.tokens[j].kind == OP
               and self.tokens[j + 1].kind in (WORD, QUOTED)):
            parts.append(self.tokens[j + 1])
            j += 2
        return ".".join(p.text for p in parts), j

    def function(self, i: int, name: str, dotted: bool) -> None:
        token = self.tokens[i]
        if token.kind == QUOTED:
            raise self.fail(token, f"`{name}` cannot be called: a quoted name is not a function")
        if not dotted and token.upper in _KEYWORDS:
            return
        if i and self.tokens[i - 1].upper == "CALL":
            return  # checked as a procedure
        if dotted or name.lower() not in FUNCTIONS:
            raise self.fail(token, f"function {name} is not allowed here")

    def call(self, i: int) -> None:
        if i + 1 >= len(self.tokens) or self.tokens[i + 1].text in ("{", "("):
            raise self.fail(self.tokens[i], "CALL subqueries are not allowed here")
        target = self.tokens[i + 1]
        name, end = self.dotted(i + 1)
        quoted = any(t.kind == QUOTED for t in self.tokens[i + 1:end])
        if quoted or target.kind != WORD or name.lower() not in ALLOWED_PROCEDURES:
            raise self.fail(target, f"procedure {name} is not allowed (allowed: {', '.join(ALLOWED_PROCEDURES)})")
        if end < len(self.tokens) and self.tokens[end].text == "(" and (
                end + 1 >= len(self.tokens) or self.tokens[end + 1].text != ")"):
            raise self.fail(self.tokens[end], f"procedure {name} takes no arguments")


def _prefix_position(prev: Token | None) -> bool:
    """Whether a + or - here is a sign (prefix) rather than an operator between two values."""
    if prev is None:
        return True
    if prev.kind == OP:
        return prev.text in _PREFIX_AFTER
    return prev.kind == WORD and prev.upper in _KEYWORDS and prev.upper not in ("NULL", "TRUE", "FALSE", "END")


def _denied(word: str) -> str:
    if word in ("LOAD", "CSV", "FROM", "HEADERS", "FIELDTERMINATOR"):
        return "LOAD CSV is not allowed: queries may only read the graph"
    if word in ("EXPLAIN", "PROFILE"):
        return "EXPLAIN/PROFILE are not run from here; use the explain button"
    return f"{word} is not allowed: queries may only read the graph"


def check_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """Parameters must be named plainly and hold JSON values (str, number, bool, null, lists, maps).

    The FalkorDB client pastes parameters into the query text (a `CYPHER k=v` header), so they are
    bounded like the query: size, depth, and no characters a C reader or the client's quoting trips on."""
    out: dict[str, Any] = {}
    for name, value in (params or {}).items():
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name):
            raise QueryRefused(f"parameter name {name!r} is not allowed (letters, digits and _ only)")
        _check_value(name, value, depth=0)
        out[name] = value
    if len(json.dumps(out, ensure_ascii=False)) > MAX_PARAMS_CHARS:
        raise QueryRefused(f"the parameters are longer than {MAX_PARAMS_CHARS} characters")
    return out


def _check_value(name: str, value: Any, depth: int) -> None:
    if depth > 5:
        raise QueryRefused(f"parameter {name} is nested too deeply")
    if isinstance(value, str):
        if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n\r" for c in value):
            raise QueryRefused(f"parameter {name} contains control characters")
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise QueryRefused(f"parameter {name} is not a finite number")
    if value is None or isinstance(value, int | float | bool):
        return
    if isinstance(value, list):
        for item in value:
            _check_value(name, item, depth + 1)
        return
    if isinstance(value, dict) and all(isinstance(k, str) and k and "`" not in k for k in value):
        for key, item in value.items():
            _check_value(name, key, depth + 1)
            _check_value(name, item, depth + 1)
        return
    raise QueryRefused(f"parameter {name} has a value of type {type(value).__name__} (or a map key), which "
                       "queries cannot take")


def run_user_query(store: Store, query: str, params: dict[str, Any] | None = None,
                   timeout_ms: int = 5000, row_cap: int = 1000, byte_cap: int = 0) -> UserQueryResult:
    """Check, then run read-only with a time limit; keep at most `row_cap` rows and, when `byte_cap` is
    set, at most that many bytes of rows (JSON-encoded); say which limit cut."""
    text = check(query)
    result = store.read_capped(text, check_params(params), timeout_ms, row_cap, byte_cap)
    rows = result.rows[:row_cap]
    by = "rows" if len(result.rows) > row_cap else ""
    if byte_cap:
        kept = _within_bytes(rows, byte_cap)
        if kept < len(rows):
            rows, by = rows[:kept], "bytes"
    return UserQueryResult(result.columns, rows, bool(by), row_cap, by, byte_cap)


def _within_bytes(rows: list[list[Any]], byte_cap: int) -> int:
    """How many leading rows fit in `byte_cap` bytes of JSON."""
    total = 0
    for i, row in enumerate(rows):
        total += row_bytes(row)
        if total > byte_cap:
            return i
    return len(rows)


def explain_user_query(store: Store, query: str, params: dict[str, Any] | None = None) -> list[str]:
    """The plan of a user query (an `EXPLAIN` prefix is accepted here and stripped), without running it."""
    text = re.sub(r"^\s*EXPLAIN\s+", "", query, flags=re.I)
    if re.match(r"\s*PROFILE\b", text, re.I):
        raise QueryRefused("PROFILE runs the query; use explain instead")
    return store.explain(check(text), check_params(params))
