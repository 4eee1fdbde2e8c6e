"""Every relation of the loaded sample corpus says where it came from: its document and a text span, or
that it was derived (and from what); spans point at the text they quote."""

from __future__ import annotations

from graph.cypher import RELATION_TYPES
from tests.sample import Loaded

WITHOUT_EVIDENCE = """
MATCH ()-[r]->()
WHERE r.doc IS NULL OR ((r.ev_start IS NULL OR r.ev_end IS NULL) AND r.derived IS NULL)
RETURN type(r) AS type, count(r) AS n
"""
BY_TYPE = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n"
QUOTED = """
MATCH ()-[r]->() WHERE r.ev_text IS NOT NULL
MATCH (p:Policy {id: r.doc})
RETURN type(r) AS type, r.ev_start AS s, r.ev_end AS e, r.ev_text AS quoted, p.text AS text
"""


def test_every_relation_type_carries_its_document_and_span_or_derivation(sample: Loaded) -> None:
    present = {r["type"] for r in sample.store.read(BY_TYPE).records()}
    assert present == set(RELATION_TYPES)  # the sample has every relation type, so each is checked
    missing = sample.store.read(WITHOUT_EVIDENCE).records()
    assert missing == [], missing


def test_spans_quote_the_document_text(sample: Loaded) -> None:
    rows = sample.store.read(QUOTED).records()
    assert {r["type"] for r in rows} >= {"ISSUED", "CITES", "IMPLEMENTS", "REPORTS_TO", "MENTIONS"}
    wrong = [(r["type"], r["quoted"]) for r in rows if r["text"][r["s"]:r["e"]] != r["quoted"]]
    assert wrong == []


def test_measure_relations_point_into_their_measure(sample: Loaded) -> None:
    rows = sample.store.read("""
        MATCH (p:Policy)-[c:CONTAINS]->(m:Measure)<-[r:LEADS]-()
        RETURN c.ev_start AS cs, c.ev_end AS ce, m.start AS ms, m.end AS me, r.ev_start AS rs, r.ev_end AS re,
               r.evidence AS evidence, p.text AS text LIMIT 300""").records()
    assert rows
    assert all((r["cs"], r["ce"]) == (r["ms"], r["me"]) for r in rows)
    assert all(r["text"][r["rs"]:r["re"]] == r["evidence"] for r in rows if r["evidence"])
