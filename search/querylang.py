"""The query language: words (AND), "phrases", OR, -exclude and field filters.

Parsing never fails: anything that is not recognised syntax is searched as text, and
what was ignored is reported in `ParsedQuery.notes`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from whoosh import query as wq

from core.regions import region_prefix
from search import synonyms
from search.analyzer import STOP_WORDS, fold, precise_tokens, subwords
from search.departments import boosts as dept_boosts
from search.departments import facet_terms
from search.schema import FIELD_BOOSTS, KINDS, TEXT_FIELDS

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 256
MAX_CLAUSES = 24
PROSE_FIELDS = ("title", "body")
TITLE_BONUS = 20.0  # a policy titled with the topic: about a strong text match (BM25F gives about 5-20)
ISSUED_TITLE_BONUS = 200.0  # … that the named department issued: as much as a measure it leads (LEAD_BOOST)
FILTERS = {"type": "kind", "kind": "kind", "issuer": "issuer", "region": "region", "year": "year",
           "lead": "lead", "support": "support"}
KIND_WORDS = {"政策": "policy", "文件": "policy", "措施": "measure", "任务": "measure", "部门": "department",
              "单位": "department", "项目": "programme", "计划": "programme", "平台": "platform"}
KIND_NAMES = {"policy": "政策", "measure": "措施", "department": "部门", "programme": "项目", "platform": "平台",
              "region": "地区"}
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "＂": '"', "(": " ", ")": " "})
_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-z_]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]*))'
)


@dataclass
class Clause:
    """One query clause: text (word or phrase) or a field filter, possibly negated."""

    text: str
    field: str | None = None  # a FILTERS key, or None for free text
    phrase: bool = False
    negated: bool = False
    parts: tuple[Clause, ...] = ()  # a word typed without spaces, read as pieces (search.compounds)
    loose: bool = False  # its words anywhere in the entry when not written as one phrase
    either: bool = False  # its parts are alternatives (国务院和江西…的政策: either issuer), not all required


@dataclass
class ParsedQuery:
    """Clauses grouped for OR (`groups` are ANDed, the clauses inside one group ORed)."""

    groups: list[list[Clause]] = field(default_factory=list)
    filters: list[Clause] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# A document number as staff type it, written back as documents write it (国发〔2018〕42号): any brackets
# (国发[2019]3号, 赣府厅发(2020)10号, 赣府发【2020】8号) after any issuer code; or, after a code ending as most
# do (…发, …函, 皖政, 赣市监综), the year's brackets left out or written as 年 (国发2018年42号, 国发 2018 42号,
# 赣府发2020第3号); 號 for 号, and 文/文件 after it (国办发〔2020〕24号文) left out.
_DOC_NUMBER = re.compile(r"(?P<org>[\u4e00-\u9fff]{1,10}?)\s*"
                         r"(?:[〔\[【(（［]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]】)）］]"
                         r"|(?<=[发函字规秘令办综政])\s*(?P<bare>(?:19|20)\d{2})\s*年?)"
                         r"\s*第?\s*(?P<num>\d{1,4})\s*[号號](?:文件|文)?")


# A responsibility note pasted with a measure's text (…消费方式。（省商务厅、省生态环境厅按职责分工负责）, （牵头单位：
# 市科技局）): documents keep it beside the measure, whose entry holds its units as leads and supports, not as text.
_UNIT_NOTE = re.compile(r"[（(【\[][^（）()【】\[\]]{0,120}?(?:负责|牵头|配合|责任单位|责任部门|主办|协办)"
                        r"[^（）()【】\[\]]{0,60}[）)】\]]")


# Two document numbers asked together (国办发〔2020〕24号和国办发〔2020〕43号): either document.
_JOINED_NUMBERS = re.compile(r"(〕\d{1,4}号)\s*(?:和|与|及|以及|、|,|，|或)\s*(?=[\u4e00-\u9fff]{1,10}?〔)")


_BRACKETED_NUMBER = re.compile(r"[（(【\[]\s*([\u4e00-\u9fff]{1,10}〔(?:19|20)\d{2}〕\d{1,4}号)\s*[）)】\]]")


def _doc_number(m: re.Match[str]) -> str:
    return f"{m['org']}〔{m['year'] or m['bare']}〕{m['num']}号"


def parse(q: str) -> ParsedQuery:
    """Parse a query string; unknown or broken syntax becomes plain text."""
    parsed = ParsedQuery()
    text = _JOINED_NUMBERS.sub(r"\1 OR ", _DOC_NUMBER.sub(_doc_number, q or ""))  # 国办发〔2020〕24号和…43号
    text = _BRACKETED_NUMBER.sub(r" \1 ", text)  # a title pasted with its number: …实施意见（赣府厅发〔2020〕7号）
    if _UNIT_NOTE.search(text) and _UNIT_NOTE.sub(" ", text).strip():
        text = _UNIT_NOTE.sub(" ", text)
        parsed.notes.append("括号里的责任单位没有作为检索词（措施的牵头、配合单位另有记录）")
    text = text.translate(_QUOTES)
    if len(text) > MAX_QUERY_CHARS:
        parsed.notes.append(f"查询太长，只用了前 {MAX_QUERY_CHARS} 个字")
        text = text[:MAX_QUERY_CHARS]
    pending_or = False
    for m in _TOKEN.finditer(text):
        clause = _clause(m, parsed.notes)
        if clause is None:
            continue
        if clause.field is None and not clause.phrase and not clause.negated and clause.text in ("OR", "AND"):
            pending_or = clause.text == "OR" and bool(parsed.groups)
            continue
        if clause.field in ("kind", "issuer", "region", "year", "lead", "support"):
            parsed.filters.append(clause)
        elif pending_or and not clause.negated and not parsed.groups[-1][0].negated:
            parsed.groups[-1].append(clause)
        else:
            parsed.groups.append([clause])
        pending_or = False
    return _capped(parsed)


def _clause(m: re.Match[str], notes: list[str]) -> Clause | None:
    """One matched token → a Clause (None for empty tokens)."""
    neg, name, phrase, word = bool(m.group("neg")), m.group("field"), m.group("phrase"), m.group("word")
    value = phrase if phrase is not None else (word or "")
    if name and name.lower() in FILTERS:
        if not value.strip():
            notes.append(f"筛选条件 {name} 没有值，已忽略")
            return None
        return Clause(value.strip(), FILTERS[name.lower()], phrase is not None, neg)
    if name:  # not a known field: search the whole token as text
        value = f"{name}:{value}"
    if not value.strip():
        return None
    return Clause(value, None, phrase is not None, neg)


def _capped(parsed: ParsedQuery) -> ParsedQuery:
    """Keep at most MAX_CLAUSES groups."""
    if len(parsed.groups) > MAX_CLAUSES:
        parsed.notes.append(f"词语太多，只用了前 {MAX_CLAUSES} 个")
        parsed.groups = parsed.groups[:MAX_CLAUSES]
    return parsed


# ------------------------------------------------------------- whoosh queries
def text_query(text: str, fields: tuple[str, ...] = TEXT_FIELDS, whole: bool = True,
               relaxed: bool = False) -> wq.Query | None:
    """Text over fields: a phrase of its precise-mode tokens (None when nothing is left).

    With `whole` (a typed word, not a "quoted phrase") and `relaxed`, the phrase may skip one position between
    words; with `whole`, a word that segments into several tokens also matches when indexed as
    one token (long dictionary words index their dictionary n-grams and suffixes).
    """
    tokens = [t for t in precise_tokens(text) if t.text not in STOP_WORDS]
    if not tokens:
        return None
    words = [t.text for t in tokens]
    slop = max((b.pos - a.pos for a, b in zip(tokens, tokens[1:], strict=False)), default=1)
    # Relaxed, a typed word also matches across one mark or short word in prose (“放管服”改革): quotes and
    # punctuation take a position in the index.  Not in the department-name fields, where the next position
    # is the next name; a "quoted phrase" stays exact.
    gap = 1 if relaxed and whole else 0
    folded = fold(text).strip().lower()
    per_field = []
    for name in fields:
        boost = FIELD_BOOSTS.get(name, 1.0)
        if len(words) == 1:
            per_field.append(wq.Term(name, words[0], boost=boost))
            continue
        alts = [wq.Phrase(name, words, slop=slop + (gap if name in PROSE_FIELDS else 0), boost=boost)]
        if words[0] in _LEVEL_CHARS:
            # 省科协 / 市科技部门 as typed; the documents write 省级科协 / 市级科技部门 (one token 省级)
            alts.append(wq.Phrase(name, [words[0] + "级", *words[1:]], slop=slop, boost=boost))
            if whole and re.fullmatch(r"\w+", folded):
                alts.append(wq.Term(name, folded[0] + "级" + folded[1:], boost=boost))
        if whole and re.fullmatch(r"\w+", folded):
            alts.append(wq.Term(name, folded, boost=boost))
        per_field.extend(alts)
    return wq.Or(per_field)


def loose_query(text: str, relaxed: bool = False, split_words: bool = True) -> wq.Query | None:
    """Text written as one phrase, or each of its words anywhere (a topic typed inside a run of characters);
    `relaxed` (the second try, after nothing matched), any of its words: the department, year or document type
    typed with it still has to match (国家体育总局冰雪运动, where the documents write 冰雪体育赛事)."""
    whole = text_query(text, relaxed=relaxed)
    tokens = [t.text for t in precise_tokens(text) if t.text not in STOP_WORDS]
    words = [w for w in tokens if len(w) >= 2]
    if relaxed and split_words and len(tokens) == 1 and len(words) == 1:  # one dictionary word (科技人才): 科技, 人才
        words = [w for w, _at in subwords(words[0]) if len(w) < len(words[0])]
    if whole is None:
        return None
    if relaxed:  # any of its words, one among single characters too (融资难 → 融资, 稳就业 → 就业)
        each = [q for w in dict.fromkeys(words) if len(tokens) > 1 or w != tokens[0]
                if (q := text_query(w)) is not None]
        return wq.Or([whole, *each]) if each else whole
    if len(set(words)) < 2:
        return whole
    each = [q for w in dict.fromkeys(words) if (q := text_query(w)) is not None]
    return wq.Or([whole, wq.And(each)])


def filter_query(clause: Clause, notes: list[str]) -> wq.Query:
    """An exact-match filter (lead:/support: also match names and aliases as text)."""
    value = fold(clause.text).strip()
    if clause.field == "kind":
        kind = KIND_WORDS.get(value, value.lower())
        if kind not in KINDS:
            notes.append(f"没有“{clause.text}”这种类型；可用的类型：{'、'.join(KIND_NAMES.get(k, k) for k in KINDS)}")
        return wq.Term("kind", kind)
    if clause.field == "year":
        return wq.Term("year", value.rstrip("年"))
    if clause.field in ("lead", "support"):
        exact = wq.Term(f"{clause.field}_facet", value)
        loose = text_query(value, fields=(clause.field,))
        return wq.Or([exact, loose]) if loose is not None else exact
    return wq.Term(clause.field or "", value)


DOC_NUMBER_WORD = re.compile(r"^[\u4e00-\u9fff]{1,10}〔(?:19|20)\d{2}〕\d{1,4}号$")


def numbers_beside_words(parsed: ParsedQuery) -> tuple[str, ...]:
    """The document numbers of a query that also has other words (国发〔2019〕3号 海关总署牵头的任务): only the
    policy entry holds its number, so with other words they are also read as that document's entries."""
    plain = [c for group in parsed.groups for c in group if c.field is None and not c.negated]
    numbers = tuple(dict.fromkeys(c.text for c in plain if DOC_NUMBER_WORD.match(c.text)))
    return numbers if numbers and any(not DOC_NUMBER_WORD.match(c.text) for c in plain) else ()


def build(parsed: ParsedQuery, kind: str | None = None, departments: Mapping[str, tuple[str, ...]] | None = None,
          relaxed: bool = False, documents: Mapping[str, tuple[str, ...]] | None = None,
          ) -> tuple[wq.Query | None, wq.Query | None]:
    """(main query, filter query) for a parsed query; main is None when nothing is searchable.

    `departments` maps words (not phrases) that name departments to their canonical names: such a word
    also matches those departments' entries, measures and policies (search.departments), and a lead:/
    support: filter with it their measures.  `relaxed` (a second try after no match) lets typed words match
    across a punctuation mark.  `documents` maps document numbers to the ids of the documents that hold them:
    such a number also matches every entry of those documents.
    """
    departments = departments or {}
    # The second try of several words: a word matching nowhere as typed (融资难, 稳就业) also matches on the
    # dictionary word it holds, the other words still holding the search to the topic (one dictionary word, 数据
    # 安全法, is not cut: that would find what it does not name).
    widen = relaxed and sum(1 for g in parsed.groups if not g[0].negated) > 1
    positives: list[wq.Query] = []
    negatives: list[wq.Query] = []
    policies = kind == "policy" or any(f.field == "kind" and not f.negated
                                       and KIND_WORDS.get(f.text, f.text) == "policy" for f in parsed.filters)
    for group in parsed.groups:
        parts = [q for c in group
                 if (q := _clause_query(c, departments, relaxed, policies, documents, widen)) is not None]
        if not parts:
            continue
        target = negatives if group[0].negated else positives
        target.append(parts[0] if len(parts) == 1 else wq.Or(parts))
    filters = _filters(parsed, kind, negatives, departments)
    if not positives and not filters and not negatives:
        return None, None
    main: wq.Query = wq.And(positives) if positives else wq.Every()
    if negatives:
        main = wq.AndNot(main, wq.Or(negatives))
    return main, (wq.And(filters) if filters else None)


_LEVEL_CHARS = frozenset("省市县区")
REGION_BOOST = 5.0  # an entry of the region named: about a weak text match


def _region(text: str) -> str | None:
    """The region facet value a word is the whole name of (浙江, 淮北市), or None (the whole country too)."""
    folded = fold(text).strip()
    found = region_prefix(folded) if 2 <= len(folded) <= 8 else None
    if found is None or found[1] != folded or found[0].level == "national":
        return None
    return fold(found[0].name)


def _clause_query(clause: Clause, departments: Mapping[str, tuple[str, ...]], relaxed: bool = False,
                  policies: bool = False, documents: Mapping[str, tuple[str, ...]] | None = None,
                  widen: bool = False) -> wq.Query | None:
    """A text clause: its words, or, for a word naming departments, also those departments' own entries;
    a compound matches as written or as all of its pieces; with `widen`, a plain word also on its own words."""
    loose = clause.loose or (widen and not clause.phrase and not clause.parts and clause.text not in departments
                             and clause.field is None)
    q = (loose_query(clause.text, relaxed, split_words=clause.loose) if loose
         else text_query(clause.text, whole=not clause.phrase, relaxed=relaxed))
    same = [] if clause.phrase else [t for w in synonyms.others(clause.text)
                                     if (t := text_query(w, relaxed=relaxed)) is not None]
    if same:
        q = wq.Or([*([q] if q is not None else []), *same])  # 综保区 also finds 综合保税区, and back
    if documents and documents.get(clause.text):  # 国发〔2019〕3号 海关总署…: that document's entries
        q = wq.Or([*([q] if q is not None else []), *(wq.Term("doc_id", d) for d in documents[clause.text])])
    quoted = None if clause.phrase else _quoted_name(clause.text)
    if quoted is not None:
        q = wq.Or([*([q] if q is not None else []), quoted])
    if clause.parts:
        pieces = [p for part in clause.parts if (p := _clause_query(part, departments, relaxed, policies)) is not None]
        combined = (wq.Or(pieces) if clause.either else wq.And(pieces)) if pieces else None
        return wq.Or([*([q] if q is not None else []), *([combined] if combined is not None else [])])
    place = None if clause.phrase else _region(clause.text)
    if place is not None:  # 浙江: also the entries of the region's documents, whether or not their text names it
        q = wq.Or([*([q] if q is not None else []), wq.Term("region", place, boost=REGION_BOOST)])
    names = None if clause.phrase else departments.get(clause.text)
    if not names:
        return q
    return wq.Or([*([q] if q is not None else []), *dept_boosts(names, policies)])


# A programme or platform name: a core and a generic last word, which documents often quote apart
# (“百城百园”行动, “赣服通”平台, “双倍增”行动) while the name is one dictionary word in a query.
_NAME_SUFFIX = re.compile(r"^(.{2,}?)(专项行动|行动计划|行动|计划|工程|平台)$")


def _quoted_name(text: str) -> wq.Query | None:
    """A name typed as one word, also matched as its core and last word with a quote mark between."""
    folded = fold(text).strip()
    m = _NAME_SUFFIX.match(folded)
    if m is None or len(precise_tokens(folded)) != 1:
        return None
    words = [t.text for part in m.groups() for t in precise_tokens(part) if t.text not in STOP_WORDS]
    return wq.Or([wq.Phrase(name, words, slop=2, boost=FIELD_BOOSTS.get(name, 1.0)) for name in PROSE_FIELDS])


def _filters(parsed: ParsedQuery, kind: str | None, negatives: list[wq.Query],
             departments: Mapping[str, tuple[str, ...]]) -> list[wq.Query]:
    """Positive filters (values of one field ORed); negated filters are added to `negatives`."""
    by_field: dict[str, list[wq.Query]] = {}
    for clause in parsed.filters:
        q = filter_query(clause, parsed.notes)
        if clause.field in ("lead", "support") and departments.get(clause.text):
            q = wq.Or([q, *facet_terms(clause.field, departments[clause.text])])
        if clause.negated:
            negatives.append(q)
        else:
            by_field.setdefault(clause.field or "", []).append(q)
    if kind:
        by_field["kind"] = [filter_query(Clause(kind, "kind"), parsed.notes)]
    return [qs[0] if len(qs) == 1 else wq.Or(qs) for qs in by_field.values()]


def _topic_words(parsed: ParsedQuery, departments: Mapping[str, tuple[str, ...]]) -> tuple[list[str], list[str]]:
    """(the topic words of a query: department names, years and document-type words aside; the departments
    it names)."""
    words: list[str] = []
    named: list[str] = []
    for group in parsed.groups:
        clause = group[0]
        if len(group) > 1 or clause.negated:
            continue
        named += [n for c in (clause, *clause.parts, *(p for c in clause.parts for p in c.parts)) if not c.loose
                  for n in departments.get(c.text, ())]
        if clause.text in departments:
            continue
        texts = [p.text for p in clause.parts if p.loose] if clause.parts else [clause.text]
        words += [t.text for text in texts for t in precise_tokens(text)
                  if len(t.text) >= 2 and t.text not in STOP_WORDS and not t.text.isdigit()]
    return words, named


TITLE_MATCH_WORDS = 4  # topic words a typed title needs before its words alone, anywhere in a title, match


def title_match(parsed: ParsedQuery, departments: Mapping[str, tuple[str, ...]]) -> wq.Query | None:
    """Policies whose title holds every topic word of a query of at least TITLE_MATCH_WORDS of them: a title
    typed from memory, with words left out or added (完善政府性融资担保体系若干措施 for …完善政府性融资担保体系切实
    支持小微企业和“三农”发展若干措施的通知), matches its policy though it is no phrase of any text."""
    words, _named = _topic_words(parsed, departments)
    if len(set(words)) < TITLE_MATCH_WORDS:
        return None
    return wq.And([wq.Term("kind", "policy"), *(wq.Term("title", w, boost=FIELD_BOOSTS["title"])
                                                 for w in dict.fromkeys(words))])


def title_bonus(parsed: ParsedQuery, departments: Mapping[str, tuple[str, ...]]) -> wq.Query | None:
    """A scoring-only query: policies whose title holds every topic word of the query (department names,
    years and document-type words aside) score TITLE_BONUS more, above the measures that mention the topic;
    those a department named in the query issued, ISSUED_TITLE_BONUS more, above the measures it leads."""
    words, named = _topic_words(parsed, departments)
    if not words:
        return None
    titled = [wq.Term("title", w) for w in dict.fromkeys(words)]
    bonus: wq.Query = wq.And([wq.Term("kind", "policy", boost=TITLE_BONUS), *titled])
    if named:
        issued = wq.Or([wq.Term("issuer", n) for n in dict.fromkeys(named)])
        bonus = wq.Or([bonus, wq.And([wq.Term("kind", "policy", boost=ISSUED_TITLE_BONUS), issued, *titled])])
    return bonus


def plain(q: str) -> ParsedQuery:
    """Fallback: every whitespace-separated piece searched as text."""
    words = re.sub(r'["()\-:*]', " ", q or "")[:MAX_QUERY_CHARS].split()
    return _capped(ParsedQuery(groups=[[Clause(w)] for w in words], notes=["query searched as plain text"]))


def highlight_terms(parsed: ParsedQuery) -> set[str]:
    """Folded token texts of the positive text clauses (what snippets mark)."""
    terms: set[str] = set()
    for group in parsed.groups:
        for c in group:
            if not c.negated:
                terms.update(t.text for t in precise_tokens(c.text) if t.text not in STOP_WORDS)
                folded = fold(c.text).strip().lower()
                terms.add(folded)
    return terms
