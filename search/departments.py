"""Department names in queries: a query word that names a department, in any form staff write it, finds it.

淮北市科技局, 淮北科技局 and 市科技局 find 淮北市科学技术局; 人社局 finds every region's 人力资源和社会保障局;
发改委 finds the national commission and every local one; 银保监会 finds 国家金融监督管理总局 (and the other
way round, with the 2023 reform as a note).  Names are read with the knowledge base that resolves mentions in
documents (core.deptnames.read_name) and matched against the department names of the index: the lead,
support and issuer facet values, read once per segment.  The word then also matches the department's entry,
the measures it leads or supports and the policies it issued, scored above any text match.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

from whoosh import query as wq

from core.deptnames import NameReading, read_name
from core.ids import entity_id
from core.regions import region_prefix
from search.analyzer import fold
from search.docsets import CACHE, Segment

# Constant scores added to a department's own entries; text matches score about 5-20 (BM25F).
ENTRY_BOOST = 400.0  # its department entry
LEAD_BOOST = 200.0  # measures it leads
SUPPORT_BOOST = 100.0  # measures it supports
ISSUER_BOOST = 60.0  # policies it issued
MENTION_BOOST = 30.0  # policies naming it (as a lead or support of their measures), when policies are asked for
MAX_NAMES = 40  # a short form without region names a body in every region: the most frequent are kept
NAME_FIELDS = ("lead_facet", "support_facet", "issuer")
_NAME_LIKE = re.compile(r"^[\u4e00-\u9fff()（）]{2,30}$")
_PLACE_ENDS = "区县旗"  # a county-level place name (2-4 characters) ends with one of these


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The department names of one state of the index, with how many entries name each (hashable by identity)."""

    counts: dict[str, int]
    readings: dict[str, Reading | None] = field(default_factory=dict)  # query word → what it named


@dataclass(frozen=True)
class Reading:
    """A query word read as a department name: the canonical names it found and the renamings involved."""

    text: str  # as typed
    names: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict."""
        return {"text": self.text, "names": list(self.names), "notes": list(self.notes)}


_LEXICONS: OrderedDict[tuple[str, ...], Lexicon] = OrderedDict()
_LOCK = threading.Lock()


def lexicon(segs: list[Segment]) -> Lexicon:
    """The department names of these segments (each segment's read once and cached with its postings)."""
    key = tuple(seg.id for seg in segs)
    with _LOCK:
        found = _LEXICONS.get(key)
        if found is not None:
            _LEXICONS.move_to_end(key)
            return found
    counts: dict[str, int] = {}
    for seg in segs:
        for name, n in CACHE.get(("department-names", seg.id), functools.partial(_segment_names, seg), _size):
            counts[name] = counts.get(name, 0) + n
    made = Lexicon(counts)
    with _LOCK:
        _LEXICONS[key] = made
        while len(_LEXICONS) > 8:
            _LEXICONS.popitem(last=False)
    return made


def _segment_names(seg: Segment) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for fieldname in NAME_FIELDS:
        for name, n in seg.frequencies(fieldname):
            counts[name] = counts.get(name, 0) + n
    return tuple(counts.items())


def _size(names: tuple[tuple[str, int], ...]) -> int:
    return 64 + sum(len(name) * 4 + 64 for name, _n in names)


def read(text: str, lex: Lexicon) -> Reading | None:
    """The departments of the index a query word names, or None when it names none."""
    folded = fold(text).strip()
    if not _NAME_LIKE.match(folded):
        return None
    if folded not in lex.readings:
        if len(lex.readings) > 4096:
            lex.readings.clear()
        lex.readings[folded] = _read(folded, lex)
    found = lex.readings[folded]
    return replace(found, text=text) if found is not None and found.text != text else found


def _read(folded: str, lex: Lexicon) -> Reading | None:
    reading = read_name(folded)
    if reading is None:
        return (_in_unknown_place(folded, lex) or _without_end(folded, lex) or _after_a_region(folded, lex)
                or _colloquial(folded, lex) or _unlisted_body(folded, lex))
    found = _named(reading, lex)
    if not found:
        return None
    if any(body.national for body in reading.bodies):
        # the body as typed and its national names (not the regional ones found: 统计局 finds 369 of them)
        national = [n for n in found if (place := region_prefix(n)) is None or place[0].level == "national"]
        found.update(dict.fromkeys(_branches((folded, *national), lex), ""))
    return _reading(folded, found, lex)


# A national body's branch in a region, named after it: 人行南昌中心支行, 国家外汇管理局江西省分局.
_BRANCH = re.compile(r"(?:中心支行|支行|分行|分局|分公司|办事处|分中心|分署)$")


def _branches(prefixes: tuple[str, ...], lex: Lexicon) -> list[str]:
    """The index's names that are one of `prefixes` (the body as typed or its canonical name), a region and a
    branch word: what staff mean by the body in a province (人行 → 人行南昌中心支行)."""
    out = []
    for name in lex.counts:
        for prefix in prefixes:
            rest = name[len(prefix):] if name.startswith(prefix) else ""
            place = region_prefix(rest) if len(rest) > 2 else None
            if place is not None and place[0].level != "national" and _BRANCH.fullmatch(rest[len(place[1]):]):
                out.append(name)
                break
    return out


def _named(reading: NameReading, lex: Lexicon) -> dict[str, str]:
    """The index's names a reading may mean (written in full or shorter), each with its renaming note."""
    found: dict[str, str] = {}
    for name in lex.counts:
        body = reading.body_of(name)
        if body is not None:
            found[name] = body.note
    return found or _abbreviated(reading, lex)


def _reading(folded: str, found: dict[str, str], lex: Lexicon) -> Reading:
    names = sorted(found, key=lambda n: (-lex.counts[n], n))[:MAX_NAMES]
    return Reading(folded, tuple(names), tuple(dict.fromkeys(found[n] for n in names if found[n])))


# What staff leave off the end of a body's short form after a region (江西市场监管, 浙江经信, 淮北发改).
_BODY_ENDS = "局厅委办"


def _without_end(folded: str, lex: Lexicon) -> Reading | None:
    """A region and a body's short form without its last character (江西市场监管 for 江西省市场监管局): the
    region's departments the form names with any usual end; only after a region, where it is no topic word."""
    if folded[-1] in _BODY_ENDS:
        return None
    found: dict[str, str] = {}
    for end in _BODY_ENDS:
        reading = read_name(folded + end)
        if reading is not None and reading.region is not None:
            found.update(_named(reading, lex))
    return _reading(folded, found, lex) if found else None


_BODY_NAME_ENDS = "局厅委办署会部"


def _after_a_region(folded: str, lex: Lexicon) -> Reading | None:
    """A body the knowledge base does not list, typed without its region (证监局 for 江西证监局 and 浙江证监局):
    the index's names that are a region and then exactly this word."""
    if len(folded) < 3 or folded[-1] not in _BODY_NAME_ENDS:
        return None
    found = dict.fromkeys(_region_and(folded, lex), "")
    return _reading(folded, found, lex) if found else None


# A line of work said the way staff say it (科技口, 发改那边, 财政上, 体育系统): the marker after it names the
# departments doing that work, not a topic.  The line of work is a body's name without its end (科技, 发改, 人社,
# 市监), read with every usual end: every region's departments and the national one (科技局, 科技厅, 科技部).
_COLLOQUIAL = re.compile(r"^(?P<line>[\u4e00-\u9fff]{2,12}?)(?:口子|口|那边|这边|那块|这块|条线|系统|上)$")
_LINE_ENDS = ("局", "厅", "委", "办", "部", "会", "总局", "总署", "分局")


def _colloquial(folded: str, lex: Lexicon) -> Reading | None:
    """The departments of a line of work followed by a colloquial marker (科技口 → 淮北市科学技术局, 江西省科学技术
    厅, 科学技术部 …)."""
    m = _COLLOQUIAL.match(folded)
    if m is None:
        return None
    named = read(m["line"], lex)  # 发改委那边, 科技局那边: a body's name before the marker
    if named is not None:
        return Reading(folded, named.names, named.notes)
    found = _line_of_work(m["line"], lex)
    return _reading(folded, found, lex) if found else None


def _line_of_work(line: str, lex: Lexicon) -> dict[str, str]:
    """The index's departments a body's name without its end (人社, 工信, 发改, 市监, 银保监) names with any usual
    end, and those that are a region and then the line itself (南昌海关 for 海关)."""
    found: dict[str, str] = {}
    for end in _LINE_ENDS:
        reading = read_name(line + end)
        if reading is not None:
            found.update(_named(reading, lex))
        elif (named := _after_a_region(line + end, lex)) is not None:  # 银保监局: 江西银保监局, 浙江银保监局
            found.update(dict.fromkeys(named.names, ""))
    found.update(dict.fromkeys(_region_and(line, lex), ""))
    return found


def _region_and(body: str, lex: Lexicon) -> list[str]:
    """The index's names that are a region (not the whole country) and then exactly `body`."""
    return [name for name in lex.counts if name.endswith(body) and len(name) > len(body)
            and (place := region_prefix(name)) is not None and place[0].level != "national"
            and name[len(place[1]):len(name) - len(body)] in ("", "委")]  # 淮北市委组织部: the party committee's


def one_name(pieces: list[str], lex: Lexicon) -> Reading | None:
    """The departments a department name typed in pieces names (淮北 市 科技局, 浙江 省 科技厅): pieces opening with
    a region or holding a one-character piece whose joined text reads as departments; None otherwise."""
    folded = [fold(p).strip() for p in pieces]
    place = region_prefix(folded[0])
    opens_with_place = place is not None and place[1] == folded[0] and place[0].level != "national"
    if len(folded) < 2 or not (opens_with_place or any(len(p) == 1 for p in folded)):
        return None
    joined = "".join(folded)
    return read(joined, lex) if len(joined) <= 30 else None


def widened(text: str, lex: Lexicon) -> Reading | None:
    """A body typed without region (人社局, 科技厅) read as its whole line of work (人社: every level's and the
    national body): for the second try, when the body's own departments matched nothing."""
    folded = fold(text).strip()
    reading = read_name(folded)
    if reading is None or reading.region is not None or reading.level is not None or folded[-1] not in _BODY_ENDS:
        return None
    return read_line_of_work(folded[:-1], lex)


def _unlisted_body(folded: str, lex: Lexicon) -> Reading | None:
    """A body the knowledge base does not list under this short name, typed without region (金融局): the
    departments of its line of work (金融 → 地方金融监督管理局 of every region)."""
    if not 3 <= len(folded) <= 6 or folded[-1] not in _BODY_ENDS:
        return None
    found = _line_of_work(folded[:-1], lex)
    return _reading(folded, found, lex) if found else None


def read_line_of_work(text: str, lex: Lexicon) -> Reading | None:
    """A word that is a body's name without its end and nothing else (人社, 工信, 市监): its departments (every
    region's and the national one), or None.  Such a word is also a topic (科技, 财政, 体育 are in every
    document), so search reads it this way only on its second try, after nothing matched as typed."""
    folded = fold(text).strip()
    if not 2 <= len(folded) <= 4 or not _NAME_LIKE.match(folded) or folded[-1] in _BODY_NAME_ENDS:
        return None
    key = "line:" + folded
    if key not in lex.readings:
        if len(lex.readings) > 4096:
            lex.readings.clear()
        found = _line_of_work(folded, lex)
        lex.readings[key] = _reading(folded, found, lex) if found else None
    found_reading = lex.readings[key]
    return replace(found_reading, text=text) if found_reading is not None and found_reading.text != text \
        else found_reading


def _in_unknown_place(folded: str, lex: Lexicon) -> Reading | None:
    """A county or district the knowledge base does not know, then a body (杜集区科技局): the index's
    departments whose name holds that place and ends in the body, written in full or shorter."""
    for end in range(2, min(5, len(folded) - 2)):
        if folded[end - 1] not in _PLACE_ENDS:
            continue
        place, rest = folded[:end], folded[end:]
        reading = read_name(place[-1] + rest)  # 区科技局: the body at that level
        if reading is None:
            continue
        found = {name: body.note for name in lex.counts if place in name
                 for body in reading.bodies if _fits(body.name, name[name.index(place) + len(place):])}
        if found:
            names = sorted(found, key=lambda n: (-lex.counts[n], n))[:MAX_NAMES]
            return Reading(folded, tuple(names), tuple(dict.fromkeys(found[n] for n in names if found[n])))
    return None


def _fits(body: str, rest: str) -> bool:
    """Whether a name's part after its region is this body, in full or written shorter."""
    return rest == body or (bool(rest) and rest[-1] == body[-1] and _in_order(body, rest))


def _abbreviated(reading: NameReading, lex: Lexicon) -> dict[str, str]:
    """A region's body written shorter than any form the knowledge base knows (淮北市金融局 for 淮北市地方金融
    监督管理局): the region's names whose body has the typed body's characters in order, ending alike."""
    if reading.region is None:
        return {}
    region = reading.region.name
    found: dict[str, str] = {}
    for body in reading.bodies:
        for name in lex.counts:
            rest = name[len(region):]
            if name.startswith(region) and rest.endswith(body.name[-1]) and _in_order(body.name, rest):
                found[name] = body.note
    return found


def _in_order(short: str, full: str) -> bool:
    """Whether every character of `short` occurs in `full`, in order."""
    chars = iter(full)
    return all(c in chars for c in short)


def boosts(names: tuple[str, ...], policies: bool = False) -> list[wq.Query]:
    """Queries matching the departments' entries, measures and policies, each with its constant score; with
    `policies` (the query asks for policies: 淮北市科技局有哪些政策), also the policies naming them."""
    out: list[wq.Query] = []
    for name in names:
        out += [wq.Term("uid", f"department:{entity_id('Department', name)}", boost=ENTRY_BOOST),
                wq.Term("lead_facet", name, boost=LEAD_BOOST), wq.Term("support_facet", name, boost=SUPPORT_BOOST),
                wq.Term("issuer", name, boost=ISSUER_BOOST)]
        if policies:
            out.append(wq.Term("mentions", f"department:{entity_id('Department', name)}", boost=MENTION_BOOST))
    return out


def facet_terms(field: str, names: tuple[str, ...]) -> list[wq.Query]:
    """lead:/support: filters: the facet values of these departments."""
    return [wq.Term(f"{field}_facet", name) for name in names]
