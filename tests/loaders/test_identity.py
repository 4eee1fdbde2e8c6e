"""Document identity through the real load step: the embedded engine, a real Whoosh index, real documents.

A policy is identified by what it is (文号, else issuer + title, else its path relative to the load
root), never by its file name: two files never overwrite each other, the same policy saved twice is one
policy with two sources, an edited file replaces exactly its own facts, and sources are stored relative.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

from core.ids import content_version, legacy_document_id, source_key
from graph.store import FalkorStore
from loaders.extract import extract_bytes
from loaders.load import expand, load_files
from search.index import SearchIndex
from settings import SAMPLE_CORPUS
from tests.homes import wait_for_engine_exit

ROOT = Path(__file__).resolve().parents[2]
EXTRA = SAMPLE_CORPUS / "extra"
NONGJI = EXTRA / "01_gwy_nongji-zhuangbei-chanye_2018.txt"  # 国发〔2018〕42号, 18 measures
BAOSHUI = EXTRA / "02_gwy_zonghe-baoshuiqu_2019.txt"  # 国发〔2019〕3号, 22 measures
HUAIBEI = SAMPLE_CORPUS / "seeds" / "002_a49a57821bd4ff1c.txt"  # no 文号, no issuer: known by its path
UNTITLED = SAMPLE_CORPUS / "seeds" / "001_9b1470b7e4c19b99.txt"  # no title: known by its path


def _as_page(path: Path) -> bytes:
    """The document as a gov.cn-style page: site chrome around the same text (as the loader reads it)."""
    text = extract_bytes(path.read_bytes(), str(path)).document.text
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())
    return (f"<html><head><meta charset='utf-8'><title>政府网站</title></head><body>"
            f"<div class='nav'>首页 | 政策 | 解读</div><div id='zoom'>{paras}</div></body></html>").encode()


def _policies(store: FalkorStore) -> dict[str, dict]:
    rows = store.read("MATCH (p:Policy) WHERE p.version IS NOT NULL RETURN p {.*} AS p").records()
    return {r["p"]["id"]: r["p"] for r in rows}


def _measures(store: FalkorStore, doc_id: str) -> list[str]:
    rows = store.read("MATCH (:Policy {id: $id})-[:CONTAINS]->(m:Measure) RETURN m.text AS t ORDER BY m.ordinal",
                      {"id": doc_id}).rows
    return [r[0] for r in rows]


def _facts(store: FalkorStore, doc_id: str) -> list[str]:
    """Every relationship a document asserted (measure edges included), as sorted text."""
    rows = store.read("MATCH (a)-[r]->(b) WHERE r.doc = $id OR b.doc_id = $id OR a.doc_id = $id "
                      "RETURN a.id, type(r), b.id, properties(r)", {"id": doc_id}).rows
    return sorted(repr(r) for r in rows)


def _load(store: FalkorStore, index: SearchIndex, *roots: Path):
    summary = load_files(expand(roots), store, index, roots=roots)
    assert not summary.errors, summary.errors
    return summary


def test_two_index_html_in_different_folders_stay_two_documents(store: FalkorStore, tmp_path: Path) -> None:
    for folder, doc in (("a", NONGJI), ("b", BAOSHUI), ("c", HUAIBEI), ("d", UNTITLED)):
        (tmp_path / "site" / folder).mkdir(parents=True)
        (tmp_path / "site" / folder / "index.html").write_bytes(_as_page(doc))
    with SearchIndex(tmp_path.with_name(tmp_path.name + "-index")) as index:
        summary = _load(store, index, tmp_path / "site")
        policies = _policies(store)
        assert len(policies) == 4 == len(set(summary.ids.values()))
        assert sorted(p["source"] for p in policies.values()) == [f"{f}/index.html" for f in "abcd"]
        assert len(_measures(store, summary.ids[str(tmp_path / "site" / "a" / "index.html")])) == 18
        assert len(_measures(store, summary.ids[str(tmp_path / "site" / "b" / "index.html")])) == 22
        assert set(index.document_versions()) == set(policies)


def test_same_relative_path_from_two_loads_stays_two_documents(store: FalkorStore, tmp_path: Path) -> None:
    """`load crawl1` then `load crawl2`, each with an index.html known only by its path: both stay."""
    for folder, doc in (("crawl1", HUAIBEI), ("crawl2", UNTITLED)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.html").write_bytes(_as_page(doc))
    with SearchIndex(tmp_path.with_name(tmp_path.name + "-index")) as index:
        first = _load(store, index, tmp_path / "crawl1")
        second = _load(store, index, tmp_path / "crawl2")
        a, b = first.ids[str(tmp_path / "crawl1" / "index.html")], second.ids[str(tmp_path / "crawl2" / "index.html")]
        assert a != b and set(_policies(store)) == {a, b}
        assert len(_measures(store, a)) == 50 and _measures(store, b)
        assert [p["source"] for p in _policies(store).values()] == ["index.html", "index.html"]
        again = _load(store, index, tmp_path / "crawl1")  # nothing changed: nothing rewritten
        assert again.unchanged == 1 and again.documents == 0 and again.ids == first.ids


def test_same_name_different_extension_different_content_stay_two(store: FalkorStore, tmp_path: Path) -> None:
    (tmp_path / "通知.txt").write_bytes(NONGJI.read_bytes())
    (tmp_path / "通知.html").write_bytes(_as_page(BAOSHUI))
    (tmp_path / "通知.md").write_bytes(HUAIBEI.read_bytes())
    with SearchIndex(tmp_path.with_name(tmp_path.name + "-index")) as index:
        summary = _load(store, index, tmp_path)
        policies = _policies(store)
        assert len(policies) == 3
        assert sorted(p["source"] for p in policies.values()) == ["通知.html", "通知.md", "通知.txt"]
        assert sorted(len(_measures(store, i)) for i in policies) == [18, 22, 50]
        assert summary.ids[str(tmp_path / "通知.md")] != legacy_document_id(tmp_path / "通知.txt")


def test_same_number_from_html_and_txt_is_one_policy_with_two_sources(store: FalkorStore, tmp_path: Path) -> None:
    (tmp_path / "gov").mkdir()
    (tmp_path / "gov" / "content_5342712.html").write_bytes(_as_page(NONGJI))
    (tmp_path / "国发〔2018〕42号.txt").write_bytes(NONGJI.read_bytes())
    (tmp_path / "other.txt").write_bytes(BAOSHUI.read_bytes())
    with SearchIndex(tmp_path.with_name(tmp_path.name + "-index")) as index:
        summary = _load(store, index, tmp_path)
        policies = _policies(store)
        assert len(policies) == 2
        doc_id = summary.ids[str(tmp_path / "gov" / "content_5342712.html")]
        assert doc_id == summary.ids[str(tmp_path / "国发〔2018〕42号.txt")]
        p = policies[doc_id]
        assert p["doc_number"] == "国发〔2018〕42号" and p["id_basis"] == "doc_number"
        assert sorted(p["sources"]) == ["gov/content_5342712.html", "国发〔2018〕42号.txt"]
        assert p["source"] == p["sources"][0] and len(p["source_keys"]) == len(p["source_versions"]) == 2
        assert len(_measures(store, doc_id)) == 18  # one set of measures, not two
        assert index.document_versions()[doc_id] == p["version"]
        assert summary.merged and summary.documents == 3
        # Loading the two again, in the other order and one by one, changes nothing.
        before = store.checksum()
        _load(store, index, tmp_path / "国发〔2018〕42号.txt")
        _load(store, index, tmp_path / "gov")
        assert store.checksum() == before


def test_a_wrongly_shared_number_does_not_merge_two_documents(store: FalkorStore, tmp_path: Path) -> None:
    """A 文号 read from another document's text (or a typo) must not make two documents one."""
    text = BAOSHUI.read_text(encoding="utf-8").replace("国发〔2019〕3号", "国发〔2018〕42号")
    assert "国发〔2018〕42号" in text
    (tmp_path / "a.txt").write_bytes(NONGJI.read_bytes())
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    with SearchIndex(tmp_path.with_name(tmp_path.name + "-index")) as index:
        summary = _load(store, index, tmp_path)
        a, b = summary.ids[str(tmp_path / "a.txt")], summary.ids[str(tmp_path / "b.txt")]
        assert a != b and sorted(len(_measures(store, i)) for i in (a, b)) == [18, 22]


def test_editing_a_file_replaces_exactly_its_facts(store: FalkorStore, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(NONGJI.read_bytes())
    (tmp_path / "b.txt").write_bytes(BAOSHUI.read_bytes())
    with SearchIndex(tmp_path.with_name(tmp_path.name + "-index")) as index:
        first = _load(store, index, tmp_path)
        a, b = first.ids[str(tmp_path / "a.txt")], first.ids[str(tmp_path / "b.txt")]
        b_facts, old = _facts(store, b), _measures(store, a)
        assert len(old) == 18
        # An edit that keeps the 文号: same policy, new measures, none of the old text left.
        text = NONGJI.read_text(encoding="utf-8")
        target = next(m for m in old if len(m) > 30)[:20]
        assert target in text
        (tmp_path / "a.txt").write_text(text.replace(target, "改写后的措施文字" + target[8:]), encoding="utf-8")
        second = _load(store, index, tmp_path)
        assert second.ids[str(tmp_path / "a.txt")] == a and second.unchanged == 1
        new = _measures(store, a)
        assert len(new) == 18 and not any(target in m for m in new) and any("改写后的措施文字" in m for m in new)
        assert _facts(store, b) == b_facts
        assert index.document_versions()[a] == content_version((tmp_path / "a.txt").read_bytes())
        # An edit that makes it another policy (another 文号 and title): the old one goes, b stays.
        (tmp_path / "a.txt").write_bytes(HUAIBEI.read_bytes())
        third = _load(store, index, tmp_path)
        now = third.ids[str(tmp_path / "a.txt")]
        assert now != a and set(_policies(store)) == {now, b}
        assert _measures(store, a) == [] and len(_measures(store, now)) == 50
        assert _facts(store, b) == b_facts
        assert set(index.document_versions()) == {now, b}


def test_the_richer_source_gives_the_facts_and_leaving_it_hands_them_back(store: FalkorStore, tmp_path: Path) -> None:
    """A short copy joins the policy as a second source; when the full one becomes another policy,
    the copy is extracted again in the same load and gives the policy its facts."""
    text = NONGJI.read_text(encoding="utf-8")
    cut = text.index("（十") if "（十" in text else len(text) * 2 // 3
    (tmp_path / "full.txt").write_text(text, encoding="utf-8")
    (tmp_path / "short.txt").write_text(text[:cut], encoding="utf-8")
    with SearchIndex(tmp_path.with_name(tmp_path.name + "-index")) as index:
        first = _load(store, index, tmp_path)
        doc_id = first.ids[str(tmp_path / "full.txt")]
        assert first.ids[str(tmp_path / "short.txt")] == doc_id
        p = _policies(store)[doc_id]
        assert p["source"] == "full.txt" and p["sources"] == ["full.txt", "short.txt"]
        full_count = len(_measures(store, doc_id))
        (tmp_path / "full.txt").write_bytes(BAOSHUI.read_bytes())
        second = _load(store, index, tmp_path)
        assert not second.reload
        p = _policies(store)[doc_id]
        assert p["sources"] == ["short.txt"] and 0 < len(_measures(store, doc_id)) < full_count
        assert second.ids[str(tmp_path / "full.txt")] != doc_id


def test_a_data_directory_with_file_name_ids_is_recognised_and_replaced(store: FalkorStore, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(NONGJI.read_bytes())
    legacy = legacy_document_id(tmp_path / "a.txt")
    for doc_id, version, source in ((legacy, content_version(NONGJI.read_bytes()), str(tmp_path / "a.txt")),
                                    (legacy_document_id("gone.txt"), "0123456789abcdef", "/old/machine/gone.txt")):
        store.write("CREATE (p:Policy {id: $id, version: $v, source: $s, title: 't'})-[:CONTAINS]->"
                    "(:Measure {id: $m, doc_id: $id})", {"id": doc_id, "v": version, "s": source, "m": f"mea-{doc_id}"})
    with SearchIndex(tmp_path.with_name(tmp_path.name + "-index")) as index:
        summary = _load(store, index, tmp_path)
    assert summary.legacy == 1  # the one whose file was not loaded is reported, not dropped
    ids = set(_policies(store))
    assert legacy not in ids and legacy_document_id("gone.txt") in ids and summary.ids[str(tmp_path / "a.txt")] in ids


def test_cli_stores_sources_relative_to_the_load_root(tmp_path: Path) -> None:
    corpus = tmp_path / "我的语料"
    (corpus / "a").mkdir(parents=True)
    (corpus / "b").mkdir()
    (corpus / "a" / "index.html").write_bytes(_as_page(NONGJI))
    (corpus / "b" / "index.html").write_bytes(_as_page(HUAIBEI))
    (corpus / "b" / "通知.txt").write_bytes(NONGJI.read_bytes())
    home = tmp_path / "home"
    env = {**os.environ, "POLICYGRAPH_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    run = subprocess.run([sys.executable, "-m", "loaders", "load", "--no-progress", str(corpus)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "documents loaded: 3" in run.stdout and "same policy, another file: 1" in run.stdout
    wait_for_engine_exit(home)
    from graph.engine import EmbeddedEngine

    with EmbeddedEngine(home / "graph") as eng:
        assert eng.secrets is not None
        store = FalkorStore(str(eng.socket_path), eng.secrets.admin_password, eng.secrets.reader_password)
        try:
            policies = _policies(store)
            every = store.read("MATCH (n) RETURN properties(n) AS p").rows + \
                store.read("MATCH ()-[r]->() RETURN properties(r) AS p").rows
        finally:
            store.close()
    assert len(policies) == 2
    assert sorted(s for p in policies.values() for s in p["sources"]) == ["a/index.html", "b/index.html", "b/通知.txt"]
    assert str(tmp_path) not in repr(every) and "/我的语料" not in repr(every)
    keys = {k for p in policies.values() for k in p["source_keys"]}
    assert source_key(corpus / "a" / "index.html") in keys  # a fingerprint of the location, not the location


def test_an_upload_with_an_earlier_uploads_name_replaces_it_only_when_it_is_the_same_policy(tmp_path: Path) -> None:
    from webapp.uploads import _place

    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "index.html").write_bytes(_as_page(NONGJI))
    edited = NONGJI.read_text(encoding="utf-8").replace("农业机械化", "农业机械化和智能化", 1).encode()
    assert _place(folder, "index.html", _as_page(NONGJI)) == folder / "index.html"  # the same file again
    (folder / "通知.txt").write_bytes(NONGJI.read_bytes())
    assert _place(folder, "通知.txt", edited) == folder / "通知.txt"  # a new version of the same policy
    assert _place(folder, "index.html", _as_page(BAOSHUI)) == folder / "index-2.html"  # another document
    (folder / "index-2.html").write_bytes(_as_page(BAOSHUI))
    assert _place(folder, "index.html", _as_page(HUAIBEI)) == folder / "index-3.html"
