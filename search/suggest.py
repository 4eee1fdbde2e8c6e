"""Never a dead end: what a search that finds nothing offers instead, and a browse view of the corpus.

A query with no results gets
- the department names of the index nearest to its words, the knowledge base's short forms included
  (淮北市科学局 → 淮北市科学技术局, 发改局 → every 发展和改革委员会 of the index,
  淮北人社处 → 淮北市人力资源和社会保障局);
- the query with fewer words: each word left out in turn, or a long word cut into its words and those left out
  (科技成果转化量子计算 → 科技成果 转化), only suggestions that find something, each with its count;
- the same query without its filters (region:, year:, issuer:, lead:, type).
The browse view counts the policies by issuer, region and year (any filters applied) and lists them.
Nothing here runs on a search that finds something: it is off the search hot path.
"""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from core.deptnames import knowledge
from core.regions import NATIONAL, region_prefix
from search import querylang
from search.analyzer import STOP_WORDS, fold, precise_tokens
from search.departments import Lexicon, lexicon
from search.departments import read as read_department
from search.docsets import segments
from search.index import SearchIndex
from search.query import SearchResults, search

MAX_DEPARTMENTS = 6
MAX_QUERIES = 4
MAX_TRIES = 12  # counting searches per suggestion request
MIN_SIMILARITY = 0.5
MIN_SIMILARITY_TOPIC = 0.7  # a word that does not end like a body name must be closer
BROWSE_VALUES = 200  # values per browse facet
FILTER_LABELS = {"kind": "类型", "issuer": "发文机关", "region": "地区", "year": "年份", "lead": "牵头部门",
                 "support": "配合部门"}
KIND_LABELS = {"department": "部门", "policy": "政策文件", "measure": "政策措施", "programme": "专项行动",
               "platform": "平台"}
_FIELD_NAMES = {"kind": "type"}  # index field → the filter word written in a query


@dataclass
class QuerySuggestion:
    """Another query that finds something: its text, type filter, count and what was changed."""

    q: str
    type: str | None
    total: int
    reason: str  # "fewer_words" | "split" | "without_filters"
    label: str  # what was changed, in Chinese (去掉“量子计算”)


@dataclass
class DepartmentSuggestion:
    """A department of the index near a query word."""

    name: str
    entries: int  # index entries naming it (measures it leads or supports, policies it issued)
    via: str  # the word or knowledge-base form it was found through
    score: float


@dataclass
class Suggestions:
    """What a dead-end search offers."""

    departments: list[DepartmentSuggestion] = field(default_factory=list)
    queries: list[QuerySuggestion] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict."""
        return asdict(self)

    def __bool__(self) -> bool:
        return bool(self.departments or self.queries)


def suggest(index: SearchIndex, q: str, kind: str | None = None) -> Suggestions:
    """Suggestions for a query that found nothing (any query string is accepted)."""
    try:
        parsed = querylang.parse(q)
    except Exception:  # noqa: BLE001 - suggestions never make a page fail
        parsed = querylang.plain(q)
    lex = lexicon(segments(index.searcher()))
    words = [c.text for group in parsed.groups for c in group if not c.negated]
    words += [c.text for c in parsed.filters if c.field in ("lead", "support", "issuer")]
    return Suggestions(nearest_departments(words, lex), _queries(index, parsed, kind))


# ------------------------------------------------------------------ nearest department names
def nearest_departments(words: list[str], lex: Lexicon, n: int = MAX_DEPARTMENTS) -> list[DepartmentSuggestion]:
    """The index's department names nearest to any of the words.

    Names are compared without their region (a word that names one keeps to that region) and mostly by their
    stem, the part before the body word (发改局 ~ 发改委, not 教育委员会 ~ 科技委员会).
    """
    best: dict[str, DepartmentSuggestion] = {}

    def offer(name: str, via: str, score: float) -> None:
        if name not in best or best[name].score < score:
            best[name] = DepartmentSuggestion(name, lex.counts.get(name, 0), via, round(score, 3))

    for word in dict.fromkeys(fold(w).strip() for w in words):
        if len(word) < 2 or len(word) > 40:
            continue
        floor = MIN_SIMILARITY if _BODY.search(word) else MIN_SIMILARITY_TOPIC
        region, rest = _split_region(word)
        if len(rest) < 2:
            continue
        mine = _Name(rest)
        for name_region, other in _names(lex):
            if region and (name_region is None or name_region != _region_of(region)):
                continue
            score = mine.similarity(other)
            if not region and other.text != name_region_text(other, name_region):
                score = max(score, _Name(word).similarity(_Name(name_region_text(other, name_region))))
            if score >= floor:
                offer(name_region_text(other, name_region), word, score)
        for form in _forms():
            score = mine.similarity(form)
            if score < floor:
                continue
            reading = read_department(region + form.text, lex)
            for name in reading.names[:3] if reading is not None else ():
                offer(name, region + form.text, score * 0.95)  # through a short form: a little below a name
    ranked = sorted(best.values(), key=lambda d: (-d.score, -d.entries, d.name))
    return ranked[:n]


_BODY = re.compile(r"(?:委员会|办公室|办公厅|管理局|总局|中心|[厅局委办部署会院行处室所站])$")


@dataclass(frozen=True)
class _Name:
    """A name prepared for comparison: its characters and character pairs, whole and without the body word."""

    text: str

    @functools.cached_property
    def whole(self) -> tuple[frozenset[str], frozenset[str]]:
        return _grams(self.text)

    @functools.cached_property
    def stem(self) -> tuple[frozenset[str], frozenset[str]]:
        return _grams(_BODY.sub("", self.text) or self.text)

    def similarity(self, other: _Name) -> float:
        """Closeness in 0…1, mostly of the stems."""
        if self.text == other.text:
            return 1.0
        return 0.7 * _dice(self.stem, other.stem) + 0.3 * _dice(self.whole, other.whole)


def name_region_text(name: _Name, region: str | None) -> str:
    """The canonical name back from its parts."""
    return name.text if region is None else _REGION_SURFACE[(region, name.text)]


_REGION_SURFACE: dict[tuple[str, str], str] = {}


def _region_of(surface: str) -> str | None:
    found = region_prefix(surface)
    return found[0].name if found else None


def _split_region(word: str) -> tuple[str, str]:
    """(region as written, rest): 淮北人社处 → (淮北, 人社处)."""
    found = region_prefix(word)
    if found is None or found[0].name == NATIONAL or len(found[1]) >= len(word):
        return "", word
    return found[1], word[len(found[1]):]


def _grams(text: str) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(text), frozenset(text[i:i + 2] for i in range(len(text) - 1))


def _dice(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]) -> float:
    """Dice over character pairs, and (a little less) over characters."""
    chars = 2 * len(a[0] & b[0]) / (len(a[0]) + len(b[0])) if a[0] and b[0] else 0.0
    pairs = 2 * len(a[1] & b[1]) / (len(a[1]) + len(b[1])) if a[1] and b[1] else 0.0
    return max(pairs, 0.8 * chars, 0.5 * pairs + 0.5 * chars)


@functools.lru_cache(maxsize=4)
def _names(lex: Lexicon) -> tuple[tuple[str | None, _Name], ...]:
    """The index's department names as (region, name without region)."""
    out: list[tuple[str | None, _Name]] = []
    for name in lex.counts:
        surface, rest = _split_region(name)
        region = _region_of(surface) if surface else None
        if region is not None:
            _REGION_SURFACE[(region, rest)] = name
            out.append((region, _Name(rest)))
        else:
            out.append((None, _Name(name)))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _forms() -> tuple[_Name, ...]:
    """Every form of the knowledge base (official, short, former names)."""
    return tuple(_Name(form) for form in knowledge().forms)


# ------------------------------------------------------------------ other queries
@dataclass
class _Try:
    groups: list[list[querylang.Clause]]
    filters: list[querylang.Clause]
    kind: str | None
    reason: str
    label: str


def _queries(index: SearchIndex, parsed: querylang.ParsedQuery, kind: str | None) -> list[QuerySuggestion]:
    """Queries with fewer words or without filters that find something, most words kept first."""
    has_filters = bool(parsed.filters or kind)
    tries = _fewer_words(parsed, parsed.filters, kind)
    if has_filters:
        dropped = [_filter_label(c) for c in parsed.filters] + ([f"类型={KIND_LABELS.get(kind, kind)}"] if kind else [])
        tries.insert(0, _Try(parsed.groups, [], None, "without_filters", "去掉筛选条件：" + "、".join(dropped)))
    found = _counted(index, tries)
    if not found and has_filters:  # nothing with the filters: fewer words without them
        found = _counted(index, [replace_try(t) for t in _fewer_words(parsed, [], None)])
    found.sort(key=lambda s: (s.reason != "without_filters", s.reason != "split", -s.total))
    return found[:MAX_QUERIES]


def replace_try(t: _Try) -> _Try:
    """A fewer-words try that also drops the filters (said in its label)."""
    return _Try(t.groups, [], None, t.reason, t.label + "，并去掉筛选条件")


def _counted(index: SearchIndex, tries: list[_Try]) -> list[QuerySuggestion]:
    out: list[QuerySuggestion] = []
    seen: set[tuple[str, str | None]] = set()
    for t in tries:
        text = render(t.groups, t.filters)
        if not text.strip() and not t.kind or (text, t.kind) in seen:
            continue
        seen.add((text, t.kind))
        if len(seen) > MAX_TRIES:
            break
        total = search(index, text, kind=t.kind, page_size=0).total
        if total:
            out.append(QuerySuggestion(text, t.kind, total, t.reason, t.label))
    return out


def _fewer_words(parsed: querylang.ParsedQuery, filters: list[querylang.Clause], kind: str | None) -> list[_Try]:
    """The query with one positive word left out, or a long word cut into its words (and then one left out)."""
    positive = [g for g in parsed.groups if not g[0].negated]
    negative = [g for g in parsed.groups if g[0].negated]
    tries: list[_Try] = []
    if len(positive) >= 2:
        for i, group in enumerate(positive):
            kept = positive[:i] + positive[i + 1:]
            tries.append(_Try(kept + negative, filters, kind, "fewer_words", f"去掉“{_group_text(group)}”"))
    elif len(positive) == 1 and len(positive[0]) == 1:
        clause = positive[0][0]
        words = _words_of(clause.text)
        if len(words) >= 2:
            split = [[querylang.Clause(w)] for w in words]
            tries.append(_Try(split + negative, filters, kind, "split", "分开搜索：" + " ".join(words)))
            for i, w in enumerate(words):
                kept = split[:i] + split[i + 1:]
                tries.append(_Try(kept + negative, filters, kind, "fewer_words", f"去掉“{w}”"))
    if negative and positive:
        tries.append(_Try(positive, filters, kind, "fewer_words",
                          "不排除" + "、".join(f"“{_group_text(g)}”" for g in negative)))
    return tries


def _words_of(text: str) -> list[str]:
    """The words of a long word (科技成果转化量子计算 → 科技成果 转化 量子 计算), without stop words."""
    words = [t.text for t in precise_tokens(text) if len(t.text.strip()) >= 2 and t.text not in STOP_WORDS]
    return list(dict.fromkeys(words))


def _group_text(group: list[querylang.Clause]) -> str:
    return " 或 ".join(c.text for c in group)


def _filter_label(c: querylang.Clause) -> str:
    value = KIND_LABELS.get(c.text, c.text) if c.field == "kind" else c.text
    return ("非" if c.negated else "") + f"{FILTER_LABELS.get(c.field or '', c.field)}={value}"


def render(groups: list[list[querylang.Clause]], filters: list[querylang.Clause]) -> str:
    """A query string from clauses (the inverse of querylang.parse for what it produced)."""
    parts = [" OR ".join(_clause_text(c) for c in group) for group in groups]
    parts += [_clause_text(c) for c in filters]
    return " ".join(p for p in parts if p)


def _clause_text(c: querylang.Clause) -> str:
    value = c.text.replace('"', " ").strip()
    if c.field:
        value = f'{_FIELD_NAMES.get(c.field, c.field)}:"{value}"'
    elif c.phrase or any(ch.isspace() for ch in value):
        value = f'"{value}"'
    return ("-" if c.negated else "") + value


# ------------------------------------------------------------------ browse
BROWSE_FILTERS = ("issuer", "region", "year")


def browse(index: SearchIndex, filters: dict[str, str] | None = None, page: int = 1,
           page_size: int = 20) -> SearchResults:
    """The policies (with the given issuer/region/year values), one page of them and their counts by
    issuer, region and year."""
    clauses = [querylang.Clause(v, k) for k, v in (filters or {}).items() if k in BROWSE_FILTERS and v]
    return search(index, render([], clauses), kind="policy", page=page, page_size=page_size,
                  facet_limit=BROWSE_VALUES)


# ------------------------------------------------------------------ who leads
def who_leads_suggestions(index: SearchIndex, topic: str, department_text: str = "") -> Suggestions:
    """What to ask instead when a who-leads question found no lead department.

    For a topic: shorter topics whose measures have lead departments (each word left out, then each word alone),
    with how many measures match, and the departments nearest to its words; for a department and a topic: the
    department alone and the topic alone.
    """
    lex = lexicon(segments(index.searcher()))
    queries: list[QuerySuggestion] = []
    typed = [w for w in fold(topic).split() if w not in _GENERIC]
    words = typed if len(typed) >= 2 else [w for w in _words_of(topic) if w not in _GENERIC]
    scope = "不限部门，" if department_text else ""
    if department_text:
        queries.append(QuerySuggestion(department_text, None, 0, "department_only",
                                       f"只看“{department_text}”牵头的全部措施"))
    tries: list[tuple[list[str], str]] = []
    if department_text and topic:
        tries.append(([topic], f"不限部门，只按主题“{topic}”"))
    if len(words) >= 2:
        tries += [(words[:i] + words[i + 1:], f"{scope}去掉“{w}”") for i, w in enumerate(words)]
        tries += [([w], f"{scope}只按“{w}”") for w in words if len(words) > 2]
    seen: set[str] = set()
    for kept, label in tries:
        text = " ".join(kept)
        if text in seen or len(seen) >= MAX_TRIES:
            continue
        seen.add(text)
        found = search(index, " ".join(f'"{w}"' for w in kept), kind="measure", page_size=0)
        leads = found.facets.get("lead", [])
        if leads:
            queries.append(QuerySuggestion(text, "measure", found.total, "fewer_words",
                                           f"{label}；多由{leads[0][0]}牵头"))
    # the department alone first, then the topics that keep most of the question
    queries.sort(key=lambda s: (s.reason != "department_only", -len(s.q.split()), -len(s.q), -s.total))
    departments = [] if department_text else nearest_departments([topic, *words], lex)
    return Suggestions(departments, queries[:MAX_QUERIES + 1])


_GENERIC = frozenset("推进 推动 开展 加强 加快 实施 落实 做好 抓好 组织 统筹 建设 工作 任务 事项 相关".split())
