"""Peers in the same run: the product's search mix on what a user would pick instead, over the same entries.

- stock Whoosh: a plain index in a temporary directory, a stock schema whose text fields use jieba's
  `jieba.analyse.ChineseAnalyzer` (jieba's default dictionary plus the words of the product index's
  userdict.txt, as a user adding their department names would), queried with Whoosh's own
  `MultifieldParser` (plus its stock `PlusMinusPlugin`, for `-word`);
- SQLite FTS5 through Python's `sqlite3`: the same entries pre-tokenised with the product's analyzer
  (precise-mode words joined by spaces: FTS5's unicode61 tokenizer cannot put a word and its sub-words at
  one position), queried with `MATCH` (a typed word or "phrase" as an FTS5 "…" phrase of its words),
  `ORDER BY rank LIMIT 20`.

The entries are the product index's own (every live policy, measure and entity entry, read back from its
stored fields), so the three systems search the same text.  Each system returns the top 20 with their
stored text; the peers do less than the product (no facets, no total, no snippets).  Phrase correctness:
for every "quoted" query of the mix, the top 20 of each system are checked against the entries' text
(does the hit contain the phrase?), and against the number of entries that do.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import _pct, home_for, query_mix
from search import querylang
from search.analyzer import USERDICT_NAME, fold, precise_tokens
from search.index import SearchIndex
from search.query import search
from search.warm import warm
from settings import load_settings

FIELDS = ("title", "body", "lead", "support")
TOP = 20


@dataclass(frozen=True)
class Entry:
    """One search entry of the product's index, as stored."""

    uid: str
    kind: str
    year: str
    region: str
    title: str
    body: str
    lead: str
    support: str

    def text(self) -> str:
        """The entry's searchable text, folded as the product folds it (for the phrase check)."""
        return fold("\n".join((self.title, self.body, self.lead, self.support))).lower()


def read_entries(index: SearchIndex) -> list[Entry]:
    """Every live entry of the product's index, from its stored fields."""
    return [Entry(f["uid"], f.get("kind", ""), f.get("year", ""), f.get("region", ""),
                  *(f.get(name) or "" for name in FIELDS)) for f in index.searcher().all_stored_fields()]


def run(docs: int, data: Path, whoosh_max: int = 10_000) -> dict[str, Any]:
    """Ours, stock Whoosh (up to `whoosh_max` documents) and FTS5 on one mix; figures as a dict."""
    settings = load_settings(home=home_for(docs, data))
    queries = query_mix(docs=docs)
    out: dict[str, Any] = {"docs": docs, "queries": len(queries)}
    with SearchIndex(settings.index_dir, create=False) as index:
        entries = read_entries(index)
        out["entries"] = len(entries)
        warm(index)  # as the app starts, and as `reads` measures
        search(index, queries[0])
        out["ours"], ours_hits = _timed(queries, lambda q: [h.uid for h in search(index, q).hits])
        userdict = settings.index_dir / USERDICT_NAME
        scratch = Path(tempfile.mkdtemp(prefix="bench-peers-", dir=data))
        try:
            hits = {"ours": ours_hits}
            if docs <= whoosh_max:
                out["whoosh"], hits["whoosh"] = _stock_whoosh(entries, queries, scratch / "whoosh", userdict)
            out["fts5"], hits["fts5"] = _fts5(entries, queries, scratch / "fts5.sqlite3")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    out["phrases"] = phrase_check(entries, queries, hits)
    return out


def _timed(queries: list[str], run_one: Callable[[str], list[str]]) -> tuple[dict[str, float], list[list[str]]]:
    """Latencies of one pass over the mix (n, p50, p95, p99 in ms) and each query's hit uids."""
    times, hits = [], []
    for q in queries:
        started = time.perf_counter()
        hits.append(run_one(q))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return ({"n": len(times), "p50_ms": round(statistics.median(times), 2), "p95_ms": round(_pct(times, 95), 2),
             "p99_ms": round(_pct(times, 99), 2)}, hits)


def _dir_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.rglob("*"))
    return round(sum(p.stat().st_size for p in files if p.is_file()) / 1e6, 1)


# ------------------------------------------------------------------ stock Whoosh
def _stock_whoosh(entries: list[Entry], queries: list[str], directory: Path,
                  userdict: Path) -> tuple[dict[str, Any], list[list[str]]]:
    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, PlusMinusPlugin

    jieba.setLogLevel(60)  # its start-up lines are not errors
    if userdict.exists():
        jieba.load_userdict(str(userdict))
    analyzer = ChineseAnalyzer()
    schema = Schema(uid=ID(stored=True, unique=True), type=ID(stored=True), year=ID(), region=ID(),
                    **{name: TEXT(analyzer=analyzer, stored=True) for name in FIELDS})
    directory.mkdir(parents=True)
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(directory), schema)
    writer = ix.writer(limitmb=256)
    for e in entries:
        writer.add_document(uid=e.uid, type=e.kind, year=e.year, region=e.region,
                            **{name: getattr(e, name) for name in FIELDS})
    writer.commit()
    build_s = time.perf_counter() - started
    parser = MultifieldParser(list(FIELDS), schema)
    parser.add_plugin(PlusMinusPlugin())
    with ix.searcher() as searcher:
        def one(q: str) -> list[str]:
            return [hit["uid"] for hit in searcher.search(parser.parse(q), limit=TOP)]

        one(queries[0])  # as ours: the first query opens the readers
        latencies, hits = _timed(queries, one)
    ix.close()
    return {"build_s": round(build_s, 1), "index_mb": _dir_mb(directory), "search": latencies,
            "analyzer": f"jieba {jieba.__version__} ChineseAnalyzer"}, hits



# ------------------------------------------------------------------ SQLite FTS5
def _words(text: str) -> str:
    """The product analyzer's precise-mode words of `text`, joined by spaces."""
    return " ".join(t.text for t in precise_tokens(text))


def _fts5(entries: list[Entry], queries: list[str], path: Path) -> tuple[dict[str, Any], list[list[str]]]:
    tokenizing = [0.0]

    def rows() -> Iterator[tuple[str, ...]]:  # streamed: at 100k documents the tokenised text is gigabytes
        for e in entries:
            started = time.perf_counter()
            row = (e.uid, e.kind, e.year, e.region, *(_words(getattr(e, name)) for name in FIELDS))
            tokenizing[0] += time.perf_counter() - started
            yield row

    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute(f"CREATE VIRTUAL TABLE entries USING fts5(uid UNINDEXED, kind, year, region, {', '.join(FIELDS)})")
    with con:
        con.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
    build_s = time.perf_counter() - started
    tokenize_s = tokenizing[0]
    sql = f"SELECT uid, title, body FROM entries WHERE entries MATCH ? ORDER BY rank LIMIT {TOP}"

    def one(q: str) -> list[str]:
        expr = fts5_query(q)
        return [] if expr is None else [row[0] for row in con.execute(sql, (expr,))]

    one(queries[0])
    latencies, hits = _timed(queries, one)
    con.close()
    return {"tokenize_s": round(tokenize_s, 1), "build_s": round(build_s, 1), "index_mb": _dir_mb(path),
            "search": latencies}, hits


FTS5_COLUMNS = {"kind": "kind", "year": "year", "region": "region", "lead": "lead", "support": "support",
                "issuer": "title"}


def _phrase(text: str) -> str | None:
    words = _words(text)
    return '"' + words.replace('"', '""') + '"' if words else None


def fts5_query(q: str) -> str | None:
    """The product's query syntax as an FTS5 MATCH expression (None: nothing to search).

    Read with the product's own parser: words and "phrases" (each a phrase of its words) over the text
    columns, OR inside a group, AND between groups, -exclusions as NOT, field filters on their column.
    """
    parsed = querylang.parse(q)
    positive: list[str] = []
    negative: list[str] = []
    for group in parsed.groups:
        alternatives = [p for c in group if (p := _phrase(c.text)) is not None]
        if alternatives:
            scoped = f"{{{' '.join(FIELDS)}}} : " + (alternatives[0] if len(alternatives) == 1
                                                    else "(" + " OR ".join(alternatives) + ")")
            (negative if group[0].negated else positive).append(scoped)
    for clause in parsed.filters:
        value = _phrase(clause.text)
        if value is not None:
            (negative if clause.negated else positive).append(f"{FTS5_COLUMNS[clause.field or 'kind']} : {value}")
    if not positive:
        return None  # FTS5 has no "everything but": a query of exclusions only finds nothing
    expr = "(" + " AND ".join(positive) + ")"
    return expr + "".join(f" NOT ({n})" for n in negative)


# ------------------------------------------------------------------ phrases
def phrase_check(entries: list[Entry], queries: list[str],
                 hits: dict[str, list[list[str]]]) -> dict[str, Any]:
    """For every "quoted" query: how many of each system's top hits contain the phrase, and how many entries do."""
    phrases = [(i, fold(q.strip('"')).lower()) for i, q in enumerate(queries)
               if q.startswith('"') and q.endswith('"') and q.count('"') == 2]
    containing = 0
    for e in entries:  # each entry's text folded once, never all of them at once (gigabytes at 100k documents)
        text = e.text()
        containing += sum(1 for _i, phrase in phrases if phrase in text)
    by_uid = {e.uid: e for e in entries}
    out: dict[str, Any] = {"queries": len(phrases), "entries_with_phrase": containing}
    for system, found in hits.items():
        checked = wrong = empty = 0
        for i, phrase in phrases:
            top = found[i]
            checked += len(top)
            wrong += sum(1 for uid in top if uid not in by_uid or phrase not in by_uid[uid].text())
            empty += not top
        out[system] = {"hits": checked, "without_phrase": wrong, "queries_without_hits": empty}
    return out
