"""Benchmark: index a synthetic policy corpus, then time a fixed mix of 200 distinct queries.

    python -m search.bench --docs 10000 --measures-per-doc 20   # the issue's target size
    python -m search.bench --docs 10000 --procs 2 --batch 1000 --optimize  # as a bulk load, then `optimize`
    python -m search.bench --quick                              # 500 documents, for development
    python -m search.bench --docs 2000 --repeat 3 --profile /tmp/search.prof
    python -m search.bench --dir /tmp/bench-index ...           # keep the index; later runs only query

Text is drawn from a pool of a few thousand words (real policy vocabulary spread over the
frequency ranks, the rest deterministic pseudo-words of common characters) with Zipf-like
frequencies.  Each document has a title, issuer, region, date, a body made of its measures,
and `--measures-per-doc` measures led and supported by departments from a pool of 200.
The 200 queries are distinct (no result can come from a cache of earlier queries): 60 terms,
40 phrases, 40 ANDs, 40 filtered, 20 OR/NOT.  Figures are from one pass after the app's
start-up warm-up (search.warm) and a warm-up of other queries; everything is deterministic
for a given --seed.
"""

from __future__ import annotations

import cProfile
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from core.records import Document, Entity, Extraction, Measure, UnitRef
from search.analyzer import precise_tokens
from search.index import SearchIndex
from search.query import search
from search.warm import warm

REAL_WORDS = (
    "科技成果 转化 技术转移 疫情防控 复工复产 创新 平台 建设 推动 加快 完善 机制 体系 企业 高校 科研院所 "
    "人才 引进 培养 资金 支持 补助 奖励 知识产权 保护 孵化器 众创空间 中试基地 产业 集群 数字经济 "
    "人工智能 新材料 稀土 农机装备 金融 担保 融资 贷款 税收 减免 审批 服务 优化 营商环境 监管 "
    "标准 质量 检验检测 区域 协同 开放 合作 项目 申报 评审 验收 绩效 考核 督查 落实 责任 年底前 持续推进 "
    "科技型中小企业 高新技术企业 研发投入 技术经理人 成果转移 专利 商标 数据 共享 应用场景 示范 试点 "
    "乡村振兴 生态环境 绿色低碳 节能 安全生产 应急管理 医疗卫生 教育 就业 社会保障 住房 交通 "
    "基础设施 新型基础设施 智能制造 工业互联网 数字化转型 首台套 首批次 揭榜挂帅 重点实验室 工程研究中心"
).split()
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    "十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形"
    "相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展"
    "五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战"
)
DEPARTMENT_SUFFIXES = ("科学技术局", "财政局", "人力资源和社会保障局", "工业和信息化局", "发展和改革委员会",
                       "市场监督管理局", "教育局", "生态环境局")
REGIONS = ("淮北市", "赣州市", "杭州市", "合肥市", "南昌市", "宁波市", "芜湖市", "九江市", "温州市", "安庆市",
           "上饶市", "湖州市", "蚌埠市", "吉安市", "绍兴市", "阜阳市", "宜春市", "嘉兴市", "宿州市", "抚州市",
           "金华市", "滁州市", "萍乡市", "台州市", "六安市")
FIELD_WORDS = ("type:measure", "type:policy", "year:", "region:", "issuer:", "lead:")


@dataclass
class Corpus:
    """The generated documents and what the query mix draws from."""

    docs: list[Extraction]
    words: list[str]  # by frequency rank, most frequent first
    weights: list[float]
    departments: list[Entity]
    issuers: list[str]


def word_pool(n_words: int, rng: random.Random) -> list[str]:
    """Real vocabulary spread over the ranks, pseudo-words (2–4 characters) elsewhere."""
    seen = set(REAL_WORDS)
    pseudo: list[str] = []
    while len(pseudo) < n_words - len(REAL_WORDS):
        word = "".join(rng.choices(CHARS, k=rng.choice((2, 2, 3, 4))))
        if word not in seen:
            seen.add(word)
            pseudo.append(word)
    pool = pseudo[:]
    for i, word in enumerate(REAL_WORDS):  # one real word every n_words / len(REAL_WORDS) ranks
        pool.insert(min(len(pool), 3 + i * max(1, n_words // len(REAL_WORDS))), word)
    return pool


def generate(n_docs: int, per_doc: int, n_words: int = 4000, seed: int = 7) -> Corpus:
    """Deterministic documents: `n_docs` policies with `per_doc` measures each."""
    rng = random.Random(seed)
    words = word_pool(n_words, rng)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(words))]
    departments = [Entity(f"dep-b{i:03d}", "Department", r + s, [_short(r, s)], region=r)
                   for i, (r, s) in enumerate((r, s) for r in REGIONS for s in DEPARTMENT_SUFFIXES)]
    issuers = [r + "人民政府" for r in REGIONS] + [r + "人民政府办公室" for r in REGIONS]
    corpus = Corpus([], words, weights, departments, issuers)
    corpus.docs = [_document(corpus, rng, d, per_doc) for d in range(n_docs)]
    return corpus


def _short(region: str, suffix: str) -> str:
    """An alias such as 淮北市科技局 / 市科技局."""
    return "市" + suffix.replace("科学技术", "科技").replace("人力资源和社会保障", "人社")


def _text(corpus: Corpus, rng: random.Random, low: int, high: int) -> str:
    """Zipf-distributed pool words with some punctuation."""
    chosen = rng.choices(corpus.words, weights=corpus.weights, k=rng.randint(low, high))
    return "".join(w + ("," if rng.random() < 0.12 else "") for w in chosen) + "。"


def _document(corpus: Corpus, rng: random.Random, d: int, per_doc: int) -> Extraction:
    """One policy with its measures; the body is the measures' text."""
    doc_id = f"pol-bench{d:06d}"
    region = rng.choice(REGIONS)
    local = [e for e in corpus.departments if e.region == region]
    measures = [_measure(corpus, rng, f"mea-bench{d:06d}-{m:03d}", local) for m in range(per_doc)]
    body = _text(corpus, rng, 20, 60) + "\n".join(m.text for m in measures)
    doc = Document(doc_id, "v1", f"{doc_id}.txt", _text(corpus, rng, 4, 10), body,
                   [rng.choice([i for i in corpus.issuers if i.startswith(region)])],
                   f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-01", region=region)
    used = {u.id for m in measures for u in m.lead + m.support}
    return Extraction(doc.source, doc, measures, [e for e in local if e.id in used])


def _measure(corpus: Corpus, rng: random.Random, mid: str, local: list[Entity]) -> Measure:
    """One measure: 15–60 words, one or two leads, up to three supporters."""
    units = rng.sample(local, rng.randint(1, 5))
    n_lead = 1 if len(units) == 1 else rng.randint(1, 2)
    refs = [UnitRef(rng.choice([u.name, *u.aliases]), u.name, u.id, "牵头单位" if i < n_lead else "配合单位", i)
            for i, u in enumerate(units)]
    text = _text(corpus, rng, 15, 60)
    return Measure(mid, _text(corpus, rng, 2, 6).rstrip("。"), "一", text, refs[:n_lead], refs[n_lead:],
                   f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}")


def query_mix(corpus: Corpus, n: int = 200, seed: int = 11) -> list[str]:
    """`n` distinct queries: terms, phrases, ANDs, filtered queries, OR/NOT (in that proportion)."""
    rng = random.Random(seed)
    flat = [1 / (rank + 1) ** 0.5 for rank in range(len(corpus.words))]  # people search topical words too
    makers = ((0.30, _term), (0.20, _phrase), (0.20, _and), (0.20, _filtered), (0.10, _or_not))
    out: list[str] = []
    seen: set[str] = set()
    for share, make in makers:
        target = len(out) + round(share * n)
        while len(out) < min(n, target):
            q = make(corpus, rng, flat)
            if q not in seen:
                seen.add(q)
                out.append(q)
    return out


def _word(corpus: Corpus, rng: random.Random, weights: list[float]) -> str:
    return rng.choices(corpus.words, weights=weights)[0]


def _term(corpus: Corpus, rng: random.Random, weights: list[float]) -> str:
    return _word(corpus, rng, weights)


def _phrase(corpus: Corpus, rng: random.Random, weights: list[float]) -> str:
    """Two or three consecutive words of a generated measure (quoted half of the time)."""
    m = rng.choice(rng.choice(corpus.docs).measures)
    words = [t.text for t in precise_tokens(m.text) if t.text.isalnum()]
    start = rng.randrange(max(1, len(words) - 3))
    text = "".join(words[start : start + rng.choice((2, 2, 3))])
    return f'"{text}"' if rng.random() < 0.5 else text


def _and(corpus: Corpus, rng: random.Random, weights: list[float]) -> str:
    return " ".join(_word(corpus, rng, weights) for _ in range(rng.choice((2, 2, 3))))


def _filtered(corpus: Corpus, rng: random.Random, weights: list[float]) -> str:
    """A term with one filter."""
    kind = rng.choice(FIELD_WORDS)
    value = {"year:": str(rng.randint(2015, 2024)), "region:": rng.choice(REGIONS),
             "issuer:": rng.choice(corpus.issuers), "lead:": rng.choice(corpus.departments).name}.get(kind, "")
    return f"{_word(corpus, rng, weights)} {kind}{value}"


def _or_not(corpus: Corpus, rng: random.Random, weights: list[float]) -> str:
    a, b = _word(corpus, rng, weights), _word(corpus, rng, weights)
    return f"{a} OR {b}" if rng.random() < 0.5 else f"{a} -{b}"


def _percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def index_corpus(corpus: Corpus, index: SearchIndex, batch: int, procs: int) -> float:
    """Index every document, `batch` documents per commit; returns the seconds taken."""
    index.add_words(corpus.words + [e.name for e in corpus.departments])  # a real loader's dictionary
    t0 = time.perf_counter()
    for i in range(0, len(corpus.docs), batch):
        index.index_many(corpus.docs[i : i + batch], procs=procs)
    return time.perf_counter() - t0


def time_queries(index: SearchIndex, queries: list[str]) -> tuple[list[float], list[int]]:
    """Milliseconds and totals, one search per query (default page size, facets)."""
    times, totals = [], []
    for q in queries:
        t = time.perf_counter()
        totals.append(search(index, q).total)
        times.append((time.perf_counter() - t) * 1000)
    return times, totals


def report(label: str, times: list[float], totals: list[int]) -> str:
    """One line of query figures."""
    return (f"{label}: p50 {statistics.median(times):.1f} ms, p95 {_percentile(times, 0.95):.1f} ms, "
            f"p99 {_percentile(times, 0.99):.1f} ms, max {max(times):.1f} ms; "
            f"mean hits {statistics.mean(totals):.0f}, median hits {statistics.median(totals):.0f}")


@dataclass
class Options:
    """The command line's options (see `main`)."""

    docs: int
    measures_per_doc: int
    quick: bool
    words: int
    batch: int
    procs: int
    repeat: int
    optimize: bool
    seed: int
    profile: str | None
    dir: Path | None


@click.command()
@click.option("--docs", type=int, default=10_000, show_default=True, help="Number of policies.")
@click.option("--measures-per-doc", type=int, default=20, show_default=True, help="Measures per policy.")
@click.option("--quick", is_flag=True, help="500 documents (development).")
@click.option("--words", type=int, default=4000, show_default=True, help="Word pool size.")
@click.option("--batch", type=int, default=250, show_default=True, help="Documents per commit.")
@click.option("--procs", type=int, default=1, show_default=True, help="Indexing processes (forked).")
@click.option("--repeat", type=int, default=1, show_default=True, help="Passes over the 200 queries.")
@click.option("--optimize", is_flag=True, help="Merge the index into one segment first.")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the corpus and the query mix.")
@click.option("--profile", type=str, default=None, help="Write cProfile stats of pass 1 here.")
@click.option("--dir", type=click.Path(path_type=Path), default=None,
              help="Index directory, kept (default: a temp dir); an index already there is reused.")
def main(**options: Any) -> None:
    """Index a synthetic corpus, then time a fixed mix of 200 distinct queries (see search/bench.py)."""
    args = Options(**options)
    if args.quick:
        args.docs = 500
    corpus = generate(args.docs, args.measures_per_doc, args.words, args.seed)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        with SearchIndex(args.dir or Path(tmp) / "index") as index:
            if index.doc_count():
                print(f"reusing the index in {args.dir} ({index.doc_count()} entries)")
            else:
                _index_and_report(corpus, index, args)
            if args.optimize:
                t0 = time.perf_counter()
                index.optimize()
                print(f"merged into one segment in {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            warm(index)  # as the app does at start (and writes the hot-word files the first time)
            print(f"start-up warm-up in {time.perf_counter() - t0:.1f} s")
            time_queries(index, query_mix(corpus, 50, seed=args.seed + 1000))  # warm-up: other queries
            queries = query_mix(corpus, 200, seed=args.seed + 4)
            for run in range(args.repeat):
                profile = args.profile if run == 0 else None
                profiler = cProfile.Profile() if profile else None
                if profiler:
                    profiler.enable()
                times, totals = time_queries(index, queries)
                if profiler and profile:
                    profiler.disable()
                    profiler.dump_stats(profile)
                print(report(f"200 queries, pass {run + 1}", times, totals))


def _index_and_report(corpus: Corpus, index: SearchIndex, args: Options) -> None:
    """Index the corpus and print the rate."""
    n_measures = sum(len(ex.measures) for ex in corpus.docs)
    seconds = index_corpus(corpus, index, args.batch, args.procs)
    segments = index.segment_count()
    print(f"indexed {len(corpus.docs)} documents, {n_measures} measures in {seconds:.1f} s: "
          f"{n_measures / seconds:.0f} measures/s ({index.doc_count()} entries, {segments} segments)")


if __name__ == "__main__":
    main(prog_name="python -m search.bench")
