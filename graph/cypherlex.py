"""A Cypher tokenizer for checking user queries: strings, comments, quoted names and parameters read once,
left to right, the way the engine reads them.

Why a small tokenizer of our own: the openCypher parsers on PyPI did not fit (see docs/SECURITY.md:
`cypher-guard` 3.0.0 rejected all 18 saved queries and prints its parse trace to stdout; `antlr4-cypher`
0.1.2 rejected 3 of them, `$limit`, and every `reduce(s = '', x IN … | …)`, and takes 30–300 ms a query
in Python).  What the checks need is the token stream, and a tokenizer is where the bypasses were.

Where a reader could disagree with the engine about where a string or comment ends, the text is refused
rather than guessed at (measured on FalkorDB 4.16: `//` ends only at a line feed, block comments do not
nest, a backslash escapes a quote, a doubled quote or backtick does not):

- a carriage return must be followed by a line feed; a closing quote or backtick may not be doubled;
- comments may not contain quote characters or open another block comment;
- a backslash in a string must start a known escape;
- unquoted names must be NFKC-stable (no full-width or look-alike letters: `ＣＲＥＡＴＥ`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from graph.errors import QueryRefused, QuerySyntaxError

WORD, QUOTED, STRING, NUMBER, PARAM, OP = "word", "quoted", "string", "number", "param", "op"

_OPS = ("..", "<>", "<=", ">=", "->", "<-", "!=", "+=", "=~",
        "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "|", "+", "-", "*", "/", "%", "^", "=", "<", ">")
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_ESCAPE = re.compile(r"\\(?:[\\'\"bfnrt]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
_QUOTES = "'\"`"


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text (a string's or quoted name's content without the quotes) and offset."""

    kind: str
    text: str
    pos: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == WORD else ""


def position(query: str, pos: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = query.count("\n", 0, pos) + 1
    return line, pos - (query.rfind("\n", 0, pos) + 1) + 1


def refuse(query: str, pos: int, why: str, syntax: bool = False) -> QueryRefused:
    """A QueryRefused naming the line and column (also kept on the exception for the console)."""
    line, col = position(query, pos)
    kind = QuerySyntaxError if syntax else QueryRefused
    error = kind(f"{why} (line {line}, column {col})")
    error.line, error.column = line, col
    return error


def tokenize(query: str) -> list[Token]:
    """The query's tokens without whitespace and comments; raise QueryRefused on anything ambiguous."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    lone_cr = re.search(r"\r(?!\n)", query)
    if lone_cr:
        raise refuse(query, lone_cr.start(), "a carriage return without a line feed")
    while i < n:
        c = query[i]
        if c in " \t\n":
            i += 1
        elif c == "\r":  # always followed by \n (checked above)
            i += 2
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = _comment(query, i, n if end < 0 else end)
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end < 0:
                raise refuse(query, i, "the query has an unterminated comment", syntax=True)
            i = _comment(query, i + 2, end) + 2
        elif c in "'\"":
            i = _string(query, i, tokens)
        elif c == "`":
            i = _quoted(query, i, tokens, QUOTED)
        elif c == "$":
            i = _param(query, i, tokens)
        elif c in "0123456789":
            m = _NUMBER.match(query, i)
            assert m is not None
            tokens.append(Token(NUMBER, m.group(), i))
            i = m.end()
        elif c == "_" or c.isalpha():
            i = _word(query, i, tokens, WORD)
        else:
            op = next((o for o in _OPS if query.startswith(o, i)), None)
            if op is None:
                raise refuse(query, i, f"unexpected character {c!r}", syntax=True)
            tokens.append(Token(OP, op, i))
            i += len(op)
    return tokens


def _comment(query: str, start: int, end: int) -> int:
    body = query[start:end]
    for j, ch in enumerate(body):
        if ch in _QUOTES:
            raise refuse(query, start + j, "a comment may not contain quote characters (' \" `)")
    inner = body[2:] if body.startswith("//") else body
    nested = inner.find("/*")
    if nested >= 0:
        raise refuse(query, end - len(inner) + nested, "a comment may not contain another comment")
    return end


def _string(query: str, start: int, tokens: list[Token]) -> int:
    quote, i = query[start], start + 1
    out: list[str] = []
    while i < len(query):
        c = query[i]
        if c == quote:
            if query.startswith(quote, i + 1):  # some readers take a doubled quote as an escape
                raise refuse(query, i, "a doubled quote; write \\' or \\\" inside a string")
            tokens.append(Token(STRING, "".join(out), start))
            return i + 1
        if c == "\\":
            m = _ESCAPE.match(query, i)
            if m is None:
                raise refuse(query, i, "unknown escape in a string (use \\\\ \\' \\\" \\n \\t \\uXXXX)")
            out.append(m.group())
            i = m.end()
            continue
        out.append(c)
        i += 1
    raise refuse(query, start, "the query has an unterminated string", syntax=True)


def _quoted(query: str, start: int, tokens: list[Token], kind: str) -> int:
    end = query.find("`", start + 1)
    if end < 0:
        raise refuse(query, start, "the query has an unterminated `quoted name`", syntax=True)
    if end == start + 1 or query.startswith("`", end + 1):
        raise refuse(query, start, "an empty `` name or a doubled backtick")
    tokens.append(Token(kind, query[start + 1:end], start))
    return end + 1


def _word(query: str, start: int, tokens: list[Token], kind: str) -> int:
    i = start
    while i < len(query) and (query[i] == "_" or query[i].isalnum()):
        i += 1
    word = query[start:i]
    if unicodedata.normalize("NFKC", word) != word:
        raise refuse(query, start, f"the name {word!r} uses full-width or look-alike letters; retype it")
    tokens.append(Token(kind, word, start))
    return i


def _param(query: str, start: int, tokens: list[Token]) -> int:
    nxt = query[start + 1:start + 2]
    if nxt == "`":
        return _quoted(query, start + 1, tokens, PARAM)
    if nxt and (nxt == "_" or nxt.isalnum()):
        return _word(query, start + 1, tokens, PARAM)
    raise refuse(query, start, "a $ must be followed by a parameter name", syntax=True)
