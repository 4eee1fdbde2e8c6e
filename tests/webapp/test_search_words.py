"""Words as staff type them: a level written short (省科协) and common abbreviations (综保区) find what the
documents write; words the corpus does not hold find nothing (real app, real index of the sample corpus)."""

from __future__ import annotations

from flask.testing import FlaskClient


def _search(client: FlaskClient, q: str) -> dict:  # type: ignore[type-arg]
    return client.get("/api/search", query_string={"q": q}).get_json()


def test_nothing_is_invented_for_words_the_corpus_does_not_hold(client: FlaskClient) -> None:
    r = _search(client, "量子纠缠 火星基地")
    assert r["total"] == 0 and r["hits"] == []


def test_a_level_abbreviation_finds_the_level_as_documents_write_it(client: FlaskClient) -> None:
    """Staff type 省科协; the documents write 省级科协."""
    typed, written = _search(client, "省科协"), _search(client, "省级科协")
    assert written["total"] >= 1
    assert {h["uid"] for h in written["hits"]} <= {h["uid"] for h in typed["hits"]}


def test_an_abbreviation_finds_what_documents_write_in_full_and_back(client: FlaskClient) -> None:
    """综保区 is how staff say 综合保税区 (the State Council opinion on 综合保税区 never writes 综保区)."""
    short, full = _search(client, "综保区"), _search(client, "综合保税区")
    assert full["total"] >= 1 and short["total"] >= 1
    assert short["hits"][0]["uid"] == full["hits"][0]["uid"]
    assert "综合保税区" in (short["hits"][0].get("title") or "")
