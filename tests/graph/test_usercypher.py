"""User-typed Cypher: ≥ 20 write/escape attempts refused with the graph unchanged; limits enforced."""

from __future__ import annotations

import threading
import time

import pytest

from graph.errors import QueryFailed, QueryRefused, QueryTimeout
from graph.store import FalkorStore
from graph.usercypher import check, check_params, explain_user_query, run_user_query
from tests.graph.records_factory import extraction, unit

ATTACKS = [
    "CREATE (n:Policy {id: 'evil'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.title = 'x'",
    "MATCH (n) REMOVE n.title",
    "MERGE (n:Department {id: 'x'})",
    "match (n) delete n",
    "MATCH (n) RETURN n; MATCH (m) DELETE m",
    "MATCH (n) RETURN n;CREATE (x)",
    "LOAD CSV FROM 'http://example.com/x.csv' AS row RETURN row",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv with headers from 'https://x' as r return r",
    "EXPLAIN MATCH (n) DELETE n",
    "PROFILE MATCH (n) SET n.x = 1",
    "CALL db.idx.fulltext.createNodeIndex('Policy', 'title')",
    "CALL dbms.procedures()",
    "CALL apoc.cypher.runWrite('CREATE (n)', {})",
    "MATCH (n) /* hide */ DELETE n",
    "MATCH (n) RETURN n // ; \n CREATE (x)",
    "ＣＲＥＡＴＥ (n:Policy)",  # full-width letters fold to CREATE
    "MATCH (n) WITH n FOREACH (x IN [1] | SET n.a = 1)",
    "CREATE\u200b (n)",  # a zero-width space
    "MATCH (n) CALL { CREATE (m) } RETURN n",
    "DROP INDEX ON :Policy(id)",
    "CREATE INDEX FOR (n:Policy) ON (n.title)",
    "MATCH (n) RETURN n /* unterminated",
    "UNWIND range(1, 3) AS i CREATE (:X {i: i})",
    "MATCH (n) WITH n SET n += {evil: true}",
    "MATCH (n:Policy) SET n:Hacked",
    "MATCH (n:Policy) REMOVE n:Policy",
    "MATCH ()-[r]->() DELETE r",
    "CALL db.idx.fulltext.drop('Policy')",
    "CALL dbms.security.createUser('x', 'y')",
    "CALL db.labels() YIELD label CREATE (:X {l: label})",
    "EXPLAIN CREATE (n)",
    "PROFILE MATCH (n) DELETE n",
    "LOAD\tCSV FROM 'file:///etc/shadow' AS r RETURN r",
    "USING PERIODIC COMMIT LOAD CSV FROM 'http://x' AS r CREATE (n)",
    "MATCH (n) RETURN n UNION MATCH (m) DETACH DELETE m RETURN m",
    "RETURN 1 /* ; */ ; CREATE (n)",
    "MATCH (n) RETURN '\\'' ; CREATE (x)",
    "MERGE\u00a0(n:Policy {id: 'x'})",
    "CREATE\u2028(n)",
    "MATCH (n) RETURN n\u037e CREATE (x)",  # a Greek question mark looks like ';'
    "GRAPH.DELETE policygraph",
    "MATCH (n) FOREACH (x IN [1] | CREATE (:Y))",
    "CREATE CONSTRAINT ON (n:Policy) ASSERT n.id IS UNIQUE",
]


SLOW = "UNWIND range(1, 20000) AS x UNWIND range(1, 20000) AS y RETURN sum(x * y)"


def _loaded(store: FalkorStore) -> dict[str, int]:
    store.replace_document(extraction("pol-a", "v1", [("建设中试基地", [unit("淮北市科学技术局", "市科技局")], [])]))
    return store.counts()


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_is_refused_and_graph_unchanged(store: FalkorStore, attack: str) -> None:
    before = _loaded(store)
    with pytest.raises((QueryRefused, QueryFailed)):
        run_user_query(store, attack)
    assert store.counts() == before


def test_engine_refuses_a_write_the_text_check_would_miss(store: FalkorStore) -> None:
    # The engine-side guard on its own: the reader user runs GRAPH.RO_QUERY only.
    before = _loaded(store)
    with pytest.raises(QueryFailed):
        store.read("MATCH (n:Policy) SET n.title = 'x'")
    assert store.counts() == before


def test_strings_and_comments_do_not_trip_the_check() -> None:
    assert check("MATCH (m:Measure) WHERE m.text CONTAINS 'CREATE; DELETE' RETURN m // set") .startswith("MATCH")
    assert check("CALL db.labels()") == "CALL db.labels()"
    assert check("MATCH (n) RETURN n;") == "MATCH (n) RETURN n"


def test_row_cap_is_explicit(store: FalkorStore) -> None:
    result = run_user_query(store, "UNWIND range(1, 50) AS i RETURN i", row_cap=10)
    assert result.truncated and len(result.rows) == 10 and result.rows[0] == [1]
    full = run_user_query(store, "UNWIND range(1, 5) AS i RETURN i", row_cap=10)
    assert not full.truncated and [r[0] for r in full.rows] == [1, 2, 3, 4, 5]


def test_nodes_come_back_as_plain_dicts_with_our_id(store: FalkorStore) -> None:
    _loaded(store)
    result = run_user_query(store, "MATCH (p:Policy)-[c:CONTAINS]->(m) RETURN p, c, m")
    p, c, m = result.rows[0]
    assert p["id"] == "pol-a" and p["labels"] == ["Policy"] and c["type"] == "CONTAINS"
    assert m["properties"]["text"] == "建设中试基地"


def test_typed_parameters(store: FalkorStore) -> None:
    _loaded(store)
    rows = run_user_query(store, "MATCH (m:Measure) WHERE m.text CONTAINS $kw RETURN m.text",
                          {"kw": "中试"}).rows
    assert rows == [["建设中试基地"]]
    with pytest.raises(QueryRefused):
        check_params({"bad name": 1})
    with pytest.raises(QueryRefused):
        check_params({"x": object()})


def test_slow_query_is_stopped_while_other_queries_are_answered(store: FalkorStore) -> None:
    _loaded(store)
    outcome: dict[str, object] = {}

    def slow() -> None:
        try:
            run_user_query(store, SLOW, timeout_ms=500)
            outcome["slow"] = "finished"
        except QueryTimeout:
            outcome["slow"] = "timeout"

    started = time.monotonic()
    worker = threading.Thread(target=slow)
    worker.start()
    answered = run_user_query(store, "MATCH (p:Policy) RETURN p.id").rows
    worker.join(30)
    assert answered == [["pol-a"]]
    assert outcome["slow"] == "timeout"
    assert time.monotonic() - started < 20


def test_a_query_that_would_eat_memory_fails_cleanly(store: FalkorStore) -> None:
    with pytest.raises((QueryFailed, QueryTimeout)):
        run_user_query(store, "RETURN size(range(1, 100000000))", timeout_ms=2000)
    assert run_user_query(store, "RETURN 1").rows == [[1]]


def test_explain_shows_a_plan_without_running(store: FalkorStore) -> None:
    before = _loaded(store)
    plan = explain_user_query(store, "EXPLAIN MATCH (m:Measure) WHERE m.text_s CONTAINS $kw RETURN m", {"kw": "中试"})
    assert any("Scan" in line for line in plan)
    with pytest.raises(QueryRefused):
        explain_user_query(store, "EXPLAIN MATCH (n) DETACH DELETE n")
    with pytest.raises(QueryRefused):
        explain_user_query(store, "PROFILE MATCH (n) RETURN n")
    assert store.counts() == before
