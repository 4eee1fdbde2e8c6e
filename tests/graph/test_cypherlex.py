"""The user-Cypher tokenizer and checks: bypasses of the old text scan, bounds on length, nesting and prefix
chains, and the saved queries that must keep passing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graph.cypherlex import NUMBER, OP, PARAM, QUOTED, STRING, WORD, tokenize
from graph.errors import QueryRefused
from graph.saved import parse, used_params
from graph.usercypher import MAX_NESTING, check, check_params
from settings import ROOT

# Each of these ran (or would run) past the old text scan, or stalls the engine's parser.
BYPASSES = {
    "backtick procedure": "CALL `db.indexes`()",
    "backtick procedure in parts": "CALL `db`.`indexes`() YIELD label RETURN label",
    "backtick dbms": "CALL `dbms.procedures`()",
    "backtick algo": "CALL `algo.pageRank`('Department', 'LEADS')",
    "algo procedure": "CALL algo.BFS(1, 2)",
    "fulltext procedure": "CALL db.idx.fulltext.queryNodes('Policy', 'x') YIELD node RETURN node",
    "indexes procedure": "CALL db.indexes()",
    "quoted function": "RETURN `db.indexes`()",
    "namespaced function": "RETURN apoc.text.join(['a'], ',')",
    "procedure with arguments": "CALL db.labels('x')",
    "procedure after UNION": "CALL db.labels() YIELD label RETURN label UNION CALL dbms.procedures() YIELD name "
                             "RETURN name AS label",
    "comment then quote": "RETURN 1 AS x // it's\nLOAD CSV FROM 'http://127.0.0.1:9/x' AS r RETURN r //'",
    "block comment then quote": "RETURN '/*' /* ' */ LOAD CSV FROM 'http://127.0.0.1:9/' AS r RETURN r",
    "comment ends at a line separator?": "RETURN 1 //\u2028LOAD CSV FROM 'http://127.0.0.1:9/' AS r RETURN r",
    "comment ends at a carriage return?": "RETURN 1 AS x //\rLOAD CSV FROM 'http://127.0.0.1:9/' AS r RETURN r",
    "unknown escape": "RETURN 'a\\q' AS x",
    "doubled quote": "RETURN 'a'' LOAD CSV FROM ''http://127.0.0.1:9/' AS r RETURN r",
    "mixed-case LOAD CSV": "WITH 1 AS x LoAd CsV FROM 'http://127.0.0.1:9/' AS r RETURN r",
    "LOAD CSV from a parameter": "LOAD CSV FROM $url AS r RETURN r",
    "nested comment": "RETURN 1 /* /* */ LOAD CSV FROM 'x' AS r RETURN r */",
    "24 NOT": "RETURN " + "NOT " * 24 + "true",
    "20 brackets": "RETURN " + "(" * 20 + "1" + ")" * 20,
    "3000 brackets": "RETURN " + "(" * 3000 + "1" + ")" * 3000,
    "NOT ( chain": "MATCH (n) WHERE " + "NOT (" * 10 + "n.x = 1" + ")" * 10 + " RETURN n",
    "minus chain": "RETURN " + "-" * 12 + "1",
    "lists nested": "RETURN " + "[" * 20 + "1" + "]" * 20,
    "regex": "MATCH (n) WHERE n.name =~ '(a+)+$' RETURN n",
    "full-width keyword": "RETURN ＬＯＡＤ",
    "not a clause": "(n) RETURN n",
    "too long": "RETURN 1" + " " * 10_001,
}


@pytest.mark.parametrize("query", BYPASSES.values(), ids=BYPASSES.keys())
def test_bypass_is_refused_fast(query: str) -> None:
    started = time.monotonic()
    with pytest.raises(QueryRefused):
        check(query)
    assert time.monotonic() - started < 1.0  # a functional bound: the check never scans more than linearly


def test_tokens_read_strings_comments_quoted_names_and_parameters() -> None:
    tokens = tokenize("MATCH (n:`Odd name`) // a comment\nWHERE n.t = 'it\\'s /* not */' AND $p <> \"x\" "
                      "/* block */ RETURN n.t, 1.5, $`q`")
    kinds = [(t.kind, t.text) for t in tokens]
    assert (QUOTED, "Odd name") in kinds and (STRING, "it\\'s /* not */") in kinds and (STRING, "x") in kinds
    assert (PARAM, "p") in kinds and (PARAM, "q") in kinds and (NUMBER, "1.5") in kinds
    escaped = tokenize("RETURN 'a\\' LOAD CSV FROM \\'x' AS r")  # an escaped quote does not end the string
    assert [t.kind for t in escaped] == [WORD, STRING, WORD, WORD]
    assert (WORD, "comment") not in kinds and (WORD, "block") not in kinds and (OP, "<>") in kinds


def test_positions_are_reported() -> None:
    with pytest.raises(QueryRefused) as refused:
        check("MATCH (n)\nRETURN n\nLIMIT 1\nCREATE (m)")
    assert refused.value.line == 4 and refused.value.column == 1


def test_nesting_bound_is_exact() -> None:
    assert check("RETURN " + "(" * MAX_NESTING + "1" + ")" * MAX_NESTING)
    with pytest.raises(QueryRefused, match="nested too deeply"):
        check("RETURN " + "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1))
    assert check("MATCH (n) WHERE NOT n.a AND NOT n.b AND NOT n.c AND NOT n.d AND NOT n.e RETURN n")


@pytest.mark.parametrize("query", [
    "MATCH (d:Department)-[:LEADS]->(m:Measure) WHERE m.text_s CONTAINS $keyword "
    "RETURN d.name AS 部门, count(m) AS 措施数 ORDER BY 措施数 DESC LIMIT 10",
    "CALL db.labels()", "CALL db.labels() YIELD label RETURN label", "CALL db.relationshipTypes",
    "MATCH (a)<--(b)-->(c) WHERE NOT (a)-->(c) RETURN -1, - a.x, 2 - 1, a.x-1 LIMIT 3",
    "RETURN [x IN range(1, 3) WHERE x > 1 | x * -1] AS xs",
    "MATCH (n:Department) RETURN n {.name, .id} AS d // names and ids\n",
    "RETURN \"say \\\"hi\\\"\" AS s /* greeting */",
    "MATCH (p:Policy) RETURN p.title AS t UNION ALL MATCH (d:Department) RETURN d.name AS t",
    "MATCH (n) WHERE n.x IS NOT NULL RETURN count(*);",
    "MATCH (n) RETURN n.set, n.create, `SET`.x",  # property keys and quoted names are not keywords
    "MATCH p = allShortestPaths((a)-[:LEADS*..4]-(b)) RETURN p LIMIT 1",
])
def test_ordinary_read_queries_pass(query: str) -> None:
    assert check(query)


def test_every_shipped_saved_query_passes_and_declares_its_parameters() -> None:
    files = sorted((ROOT / "queries").glob("*.cypher"))
    assert len(files) >= 18
    for path in files:
        q = parse(path.stem, Path(path).read_text(encoding="utf-8"))
        assert check(q.query), path.stem
        assert used_params(q.query) == {p.name for p in q.params}, path.stem


def test_parameters_inside_strings_and_comments_are_not_parameters() -> None:
    assert used_params("MATCH (n) WHERE n.x = $a AND n.y = '$b' // $c\nRETURN n") == {"a"}


@pytest.mark.parametrize("params", [
    {"x": "a\x00b"}, {"x": "\ud800"}, {"x": float("nan")}, {"x": {"a`b": 1}}, {"x": {"": 1}},
    {"x": ["y" * 60_000, "z" * 60_000]}, {"x": [[[[[[[1]]]]]]]},
])
def test_parameters_the_client_would_paste_badly_are_refused(params: dict) -> None:
    with pytest.raises(QueryRefused):
        check_params(params)
    assert check_params({"x": {"名称": ["中试基地", 1, 2.5, None, True]}})
