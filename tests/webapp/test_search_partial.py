"""A search whose words no single entry holds all of: the entries with all but the commonest word, said so in
Chinese above the results (real app, real index of the sample corpus)."""

from __future__ import annotations

from flask.testing import FlaskClient


def _search(client: FlaskClient, q: str) -> dict:  # type: ignore[type-arg]
    return client.get("/api/search", query_string={"q": q}).get_json()


def test_words_typed_together_that_no_entry_holds_all_of(client: FlaskClient) -> None:
    # 孵化器 appears in the corpus, never in an entry that also says 建设 next to it as typed
    whole = _search(client, "孵化器")
    assert whole["total"] >= 1 and not whole["notes"]
    r = _search(client, "孵化器建设")
    assert r["total"] >= 1 and any("缺少其中一个词" in n for n in r["notes"]), r["notes"]
    # the commonest word (建设) is the one left out: every result holds 孵化器
    assert {h["uid"] for h in r["hits"]} <= {h["uid"] for h in _search(client, "孵化器")["hits"]} | set()
    assert r["total"] <= whole["total"]


def test_a_query_every_entry_matches_whole_gets_no_note(client: FlaskClient) -> None:
    r = _search(client, "中试基地")
    assert r["total"] >= 1 and not any("缺少" in n for n in r["notes"])


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
