"""A deterministic benchmark corpus in the layouts the loaders accept.

Documents are city or provincial action plans of ~3,000 characters and ~20 measures, written as
inline-tag text, prose text, bare-list text, HTML task tables and markdown task tables.  Units are
drawn from a pool of a few thousand departments (15 kinds × the ~340 cities and 34 provinces of
core/data/regions.json), with programmes, platforms, citations and deadlines.
"""

from __future__ import annotations

import functools
import json
import math
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from settings import ROOT

KINDS = ["科技局", "财政局", "发展改革委", "教育局", "人社局", "工信局", "商务局", "市场监管局", "自然资源局",
         "生态环境局", "农业农村局", "交通运输局", "卫生健康委", "地方金融监管局", "统计局"]
PROGRAMMES = ["百城百园行动", "科创中国", "雏鹰行动", "揭榜挂帅", "双百专项行动", "科技特派员行动", "数字赋能行动",
              "专精特新培育行动", "人才引育工程", "创新券计划"]
PLATFORMS = ["科技成果转化服务平台", "技术交易市场", "产业创新服务综合体", "中试基地", "科技金融服务平台",
             "知识产权运营中心", "工业互联网平台", "大型仪器共享平台"]
VERBS = ["加快", "推进", "完善", "健全", "支持", "强化", "优化", "深化", "探索", "建立"]
OBJECTS = ["科技成果转化", "技术转移", "中试熟化", "企业研发投入", "人才评价", "知识产权保护", "科技金融",
           "产学研合作", "创新平台建设", "应用场景开放", "数字经济", "绿色低碳技术", "首台套推广", "高新技术企业培育",
           "疫情防控科技攻关"]
FILLER = ["围绕重点产业链部署创新链，", "发挥企业创新主体作用，", "统筹各类资金和政策资源，",
          "按照年度计划分步实施，", "建立工作台账和督促机制，", "形成可复制可推广的经验做法，",
          "每年组织开展绩效评价，", "支持高校院所与企业共建联合实验室，"]
ORDINALS = "一二三四五六七八九十"

# The vocabulary grows with the corpus, as a real one does (Heaps' law: about as the square root of its size).
# Documents before SCALE_FROM draw from the lists above, so every corpus of up to SCALE_FROM documents is the
# one earlier benchmarks measured; document i after it draws from base + more[:k], k = len(base) × (√(i /
# SCALE_FROM) − 1): at 100,000 documents about three times the topics, programmes and platforms, and ten more
# kinds of department (the regions stay the gazetteer's provinces and cities: core/regions knows no counties).
SCALE_FROM = 10_000
MORE_OBJECTS = ["基础研究", "关键核心技术攻关", "科技领军企业培育", "新型研发机构", "技术经理人队伍", "科技型中小企业",
                "专利转化运用", "标准化建设", "科研诚信建设", "科技伦理治理", "国际科技合作", "区域创新中心建设",
                "创新联合体", "人工智能应用", "生物医药产业", "集成电路产业", "新能源汽车", "智能制造", "现代种业",
                "海洋科技", "乡村振兴科技支撑", "科普能力建设", "科研仪器共享", "算力基础设施", "碳达峰碳中和",
                "未来产业培育", "高端装备制造", "新材料产业", "质量基础设施", "科技服务业", "成果评价改革",
                "科研经费管理改革"]
MORE_PROGRAMMES = ["火炬计划", "小巨人培育计划", "独角兽企业培育行动", "瞪羚企业培育计划", "首席科学家计划",
                   "青年科技人才托举工程", "重点研发计划", "产业基础再造工程", "院士工作站建设行动", "科技小院建设行动",
                   "创新积分制试点", "知识产权强市建设工程", "数字乡村试点", "未来工厂培育计划", "人才飞地建设计划",
                   "科技副总选派计划", "链主企业培育工程", "企业研发机构提升行动", "概念验证行动", "创新生态培育工程",
                   "科技金融深化行动"]
MORE_PLATFORMS = ["概念验证中心", "科技企业孵化器", "众创空间", "科技企业加速器", "重点实验室", "工程技术研究中心",
                  "产业技术研究院", "技术创新中心", "制造业创新中心", "检验检测公共服务平台", "大学科技园",
                  "双创示范基地", "知识产权保护中心", "产业计量测试中心", "科技资源共享服务平台", "离岸创新中心",
                  "新型研发机构集聚区"]
MORE_KINDS = ["住房城乡建设局", "文化和旅游局", "水利局", "应急管理局", "医疗保障局", "审计局", "国资委", "知识产权局",
              "科协", "税务局"]


@dataclass(frozen=True)
class Vocabulary:
    """The words one document draws from."""

    kinds: list[str]
    objects: list[str]
    programmes: list[str]
    platforms: list[str]


def vocabulary(i: int) -> Vocabulary:
    """The vocabulary of document `i` (of a corpus of `i` documents, for queries): the lists above up to
    SCALE_FROM, then more of each as the corpus grows."""
    growth = max(0.0, math.sqrt(max(i, 1) / SCALE_FROM) - 1)
    return _vocabulary(*(min(len(more), int(len(base) * growth)) for base, more in _GROWING))


_GROWING = ((KINDS, MORE_KINDS), (OBJECTS, MORE_OBJECTS), (PROGRAMMES, MORE_PROGRAMMES), (PLATFORMS, MORE_PLATFORMS))


@functools.lru_cache(maxsize=64)
def _vocabulary(*extra: int) -> Vocabulary:
    return Vocabulary(*(base + more[:k] for (base, more), k in zip(_GROWING, extra, strict=True)))


@dataclass(frozen=True)
class Place:
    """The issuing region of a generated document."""

    name: str
    province: str
    level: str  # 市 or 省


def places() -> list[Place]:
    """Every city and province of the gazetteer, in a fixed order."""
    regions = json.loads((ROOT / "core" / "data" / "regions.json").read_text(encoding="utf-8"))
    out = [Place(p, p, "省") for p in sorted(regions)]
    out += [Place(city, p, "市") for p in sorted(regions) for city in regions[p]]
    return out


LAYOUTS = ("tags", "prose", "bare", "html", "md")


def _name(i: int) -> str:
    layout = LAYOUTS[i % len(LAYOUTS)]
    return f"doc{i:06d}" + {"html": ".html", "md": ".md"}.get(layout, ".txt")


def _documents(n_docs: int, seed: int) -> Iterator[tuple[int, str]]:
    """(number, text) of the first `n_docs` documents of the corpus `seed` draws: each document is the
    same whatever `n_docs` is (a larger corpus extends a smaller one)."""
    rng = random.Random(seed)
    pool = places()
    for i in range(n_docs):
        place = pool[rng.randrange(len(pool))]
        yield i, _document(rng, place, i, LAYOUTS[i % len(LAYOUTS)])


def generate(n_docs: int, out_dir: Path, seed: int = 7) -> list[Path]:
    """Write `n_docs` documents into `out_dir` (reused when already complete); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / f".complete-{n_docs}-{seed}"
    paths = [out_dir / _name(i) for i in range(n_docs)]
    if not marker.exists():
        for i, text in _documents(n_docs, seed):
            paths[i].write_text(text, encoding="utf-8")
        marker.touch()
    return paths


def following(n_docs: int, extra: int, out_dir: Path, seed: int = 7) -> list[Path]:
    """Write documents `n_docs` … `n_docs + extra - 1` of the same corpus into `out_dir` (emptied first): new
    documents for a home holding the first `n_docs`, as the corpus of `n_docs + extra` would have them."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    paths = []
    for i, text in _documents(n_docs + extra, seed):
        if i >= n_docs:
            paths.append(out_dir / _name(i))
            paths[-1].write_text(text, encoding="utf-8")
    return paths


def _units(rng: random.Random, place: Place, v: Vocabulary) -> tuple[list[str], list[str]]:
    prefix = place.level
    names = [prefix + k for k in rng.sample(v.kinds, rng.randint(2, 5))]
    return names[:1], names[1:]


def _measure_text(rng: random.Random, v: Vocabulary) -> tuple[str, str]:
    heading = rng.choice(VERBS) + rng.choice(v.objects)
    body = "".join(rng.sample(FILLER, 4))
    extra = f"依托“{rng.choice(v.programmes)}”，建设{rng.choice(v.platforms)}，" if rng.random() < 0.3 else ""
    return heading, f"{heading}。{extra}{body}{rng.choice(VERBS)}{rng.choice(v.objects)}取得明显成效。"


def _deadline(rng: random.Random, year: int) -> str:
    return rng.choice([f"{year}年{rng.randint(1, 12)}月底前", f"{year + 1}年底前", "持续推进"])


def _tag(rng: random.Random, layout: str, lead: list[str], support: list[str], deadline: str) -> str:
    if layout == "prose":
        return f"由{lead[0]}牵头，会同{'、'.join(support)}负责落实。"
    if layout == "bare":
        return f"（{'、'.join(lead + support)}负责）"
    return f"（牵头单位：{lead[0]}；配合单位：{'、'.join(support)}；完成时限：{deadline}）"


def _document(rng: random.Random, place: Place, index: int, layout: str) -> str:
    year = 2019 + index % 6
    v = vocabulary(index)
    title = f"{place.name}关于印发{place.name}{rng.choice(v.objects)}行动方案的通知"
    number = f"{place.name[:2]}政〔{year}〕{index % 200 + 1}号"
    cited = f"《关于{rng.choice(v.objects)}的若干意见》"
    rows = []
    for _ in range(20):
        heading, text = _measure_text(rng, v)
        lead, support = _units(rng, place, v)
        rows.append((heading, text, lead, support, _deadline(rng, year)))
    lower = "县（市、区）" if place.level == "市" else "市、县（市、区）"
    head = [title, number, f"各{lower}人民政府，{place.level}直各单位：",
            f"为贯彻落实{cited}，现将《{title[len(place.name) + 4:-3]}》印发给你们，请认真贯彻落实。",
            f"{place.name}人民政府", f"{year}年{index % 12 + 1}月{index % 28 + 1}日"]
    if layout == "html":
        return _html(head, rows)
    if layout == "md":
        return _markdown(head, rows, title)
    body = [f"{ORDINALS[(i // 5) % 10]}、重点任务" if i % 5 == 0 else "" for i in range(len(rows))]
    lines = head + (["（此件公开发布）"] if layout == "bare" else [])
    for i, (_heading, text, lead, support, deadline) in enumerate(rows):
        if body[i]:
            lines.append(body[i])
        lines.append(f"{i + 1}.{text}{_tag(rng, layout, lead, support, deadline)}")
    if layout == "bare":
        lines.insert(len(head), "各项任务列第一位者为牵头单位，下同。")
    return "\n".join(lines) + "\n"


def _html(head: list[str], rows: list[tuple[str, str, list[str], list[str], str]]) -> str:
    cells = "".join(
        f"<tr><td>{i + 1}</td><td>{h}</td><td>{t}</td><td>{lead[0]}</td><td>{'、'.join(s)}</td>"
        f"<td>{d}</td></tr>" for i, (h, t, lead, s, d) in enumerate(rows))
    paragraphs = "".join(f"<p>{line}</p>" for line in head)
    return (f"<html><head><title>{head[0]}</title></head><body><div class=\"nav\">首页 | 政策</div>"
            f"<div id=\"zoom\">{paragraphs}<p>重点任务分工表</p><table><tr><th>序号</th><th>重点任务</th>"
            f"<th>工作措施</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>{cells}</table></div>"
            "<div class=\"footer\">版权所有 ICP备案</div></body></html>")


def _markdown(head: list[str], rows: list[tuple[str, str, list[str], list[str], str]], title: str) -> str:
    lines = ["---", f"title: {title}", "---", *head, "",
             "| 序号 | 重点任务 | 工作措施 | 牵头单位 | 配合单位 | 完成时限 |", "|---|---|---|---|---|---|"]
    lines += [f"| {i + 1} | {h} | {t} | {lead[0]} | {'、'.join(s)} | {d} |"
              for i, (h, t, lead, s, d) in enumerate(rows)]
    return "\n".join(lines) + "\n"
