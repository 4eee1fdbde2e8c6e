"""Benchmark: index N synthetic measure documents, then time a fixed 200-query mix.

    python -m search.bench --docs 20000 [--procs 2] [--dir /tmp/bench-index] [--batch 5000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from loaders.records import Document, Entity, Extraction, Measure, UnitRef
from search.index import SearchIndex
from search.query import search

WORDS = (
    "科技成果 转化 技术转移 疫情防控 复工复产 创新 平台 建设 推动 加快 完善 机制 体系 企业 高校 科研院所 "
    "人才 引进 培养 资金 支持 补助 奖励 知识产权 保护 孵化器 众创空间 中试基地 产业 集群 数字经济 "
    "人工智能 新材料 稀土 农机装备 金融 担保 融资 贷款 税收 减免 审批 服务 优化 营商环境 监管 "
    "标准 质量 检验检测 区域 协同 开放 合作 项目 申报 评审 验收 绩效 考核 督查 落实 责任 年底前 持续推进"
).split()
DEPARTMENTS = ("淮北市科学技术局", "淮北市人力资源和社会保障局", "淮北市财政局", "江西省科学技术厅",
               "赣州市工业和信息化局", "国家发展和改革委员会", "科学技术部", "市场监管总局")
ISSUERS = ("国务院办公厅", "江西省人民政府", "淮北市人民政府", "科学技术部")
REGIONS = ("淮北市", "江西省", "赣州市", "")
QUERY_MIX = (
    ["科技成果", "转化", "人才", "金融", "稀土", "孵化器", "平台", "审批"]  # terms
    + ["科技成果转化", '"技术转移"', '"疫情防控"', "营商环境", "中试基地", '"知识产权 保护"']  # phrases
    + ["人才 引进", "资金 支持 企业", "创新 平台 建设", "融资 担保"]  # AND
    + ["人才 type:measure", "科技成果 year:2020", "转化 region:江西省", "平台 issuer:科学技术部",
       "人社局", "lead:淮北市科学技术局 人才", "稀土 OR 农机装备", "疫情防控 -复工复产"]  # filters, OR, NOT
)


ZIPF = [1 / (rank + 1) ** 1.1 for rank in range(len(WORDS))]  # word frequencies fall with rank


def _text(rng: random.Random, low: int, high: int) -> str:
    """Random text of pool words (Zipf-distributed) with some punctuation."""
    words = rng.choices(WORDS, weights=ZIPF, k=rng.randint(low, high))
    return "".join(w + ("," if rng.random() < 0.15 else "") for w in words) + "。"


def synthetic(n_measures: int, per_doc: int = 10, seed: int = 7) -> list[Extraction]:
    """Deterministic documents holding `n_measures` measures in total."""
    rng = random.Random(seed)
    entities = [Entity(f"dep-{i}", "Department", name, [name[-3:]]) for i, name in enumerate(DEPARTMENTS)]
    out = []
    for d in range(max(1, n_measures // per_doc)):
        doc_id = f"pol-bench{d:06d}"
        doc = Document(doc_id, "v1", f"{doc_id}.txt", _text(rng, 4, 8), _text(rng, 60, 120),
                       [rng.choice(ISSUERS)], f"{rng.randint(2018, 2023)}-01-01", region=rng.choice(REGIONS))
        measures = []
        for m in range(per_doc):
            lead = rng.choice(entities)
            unit = UnitRef(lead.name, lead.name, lead.id, "牵头单位")
            measures.append(Measure(f"mea-bench{d:06d}-{m:03d}", _text(rng, 2, 4), "一", _text(rng, 15, 40),
                                    [unit], [], "2020-06"))
        out.append(Extraction(doc.source, doc, measures, entities))
    return out


def _percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(n_measures: int, directory: Path, batch: int, procs: int = 1) -> dict[str, float]:
    """Index, then query; returns the figures."""
    docs = synthetic(n_measures)
    n_entries = sum(1 + len(ex.measures) for ex in docs)
    with SearchIndex(directory) as index:
        t0 = time.perf_counter()
        per_batch = max(1, batch // 10)
        for i in range(0, len(docs), per_batch):
            index.index_many(docs[i : i + per_batch], procs=procs)
        index_s = time.perf_counter() - t0
        queries = [QUERY_MIX[i % len(QUERY_MIX)] for i in range(200)]
        search(index, "预热")  # open the searcher once
        times, totals = [], []
        for q in queries:
            t = time.perf_counter()
            totals.append(search(index, q).total)
            times.append((time.perf_counter() - t) * 1000)
    return {"measures": n_measures, "entries": n_entries, "index_s": index_s,
            "measures_per_s": n_measures / index_s, "entries_per_s": n_entries / index_s,
            "p50_ms": statistics.median(times), "p95_ms": _percentile(times, 0.95),
            "max_ms": max(times), "mean_hits": statistics.mean(totals)}


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m search.bench", description=__doc__)
    parser.add_argument("--docs", type=int, default=20_000, help="number of measure documents")
    parser.add_argument("--batch", type=int, default=5_000, help="measures per commit")
    parser.add_argument("--procs", type=int, default=1, help="indexing processes (forked)")
    parser.add_argument("--dir", type=Path, default=None, help="index directory (default: a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        figures = run(args.docs, args.dir or Path(tmp) / "index", args.batch, args.procs)
    print(f"indexed {figures['measures']:.0f} measures ({figures['entries']:.0f} entries) "
          f"in {figures['index_s']:.1f} s: {figures['measures_per_s']:.0f} measures/s, "
          f"{figures['entries_per_s']:.0f} entries/s")
    print(f"200 queries: p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
          f"max {figures['max_ms']:.1f} ms, mean hits {figures['mean_hits']:.0f}")


if __name__ == "__main__":
    main()
