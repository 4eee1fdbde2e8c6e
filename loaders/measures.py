"""Measures: the text before each agency tag, with its heading, section path, units and deadline."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from loaders.deadlines import parse_deadline
from loaders.runon import find_runon_rows
from loaders.sections import Heading, Outline, find_headings, paragraph_start
from loaders.subjects import (
    find_closing,
    find_duties,
    find_duty_blocks,
    find_subjects,
    find_unit_items,
    subject_clause_starts,
)
from loaders.tables import TableRow, find_table_rows, row_tag
from loaders.tags import (
    Tag,
    TaggedUnit,
    find_clause_tags,
    find_label_lines,
    find_prose,
    find_tags,
    find_unit_lines,
    split_roles,
)
from loaders.tasks import find_task_items, task_tag_roles

log = logging.getLogger(__name__)

_SKIP_AFTER_TAG = " \t。.;,，；"
_INLINE_DEADLINE = re.compile(r"(20\d{2}年(\d{1,2}月)?(\d{1,2}日)?(底|年底|末|上旬|中旬|下旬)?前|"
                              r"于20\d{2}年[^,;。]{0,8}前|"
                              r"到20\d{2}年(\d{1,2}月)?底|"
                              # a month of the plan's own year: `10月15日前全面实现复产` / `9月底前完成`
                              r"(?<![\d年月.])\d{1,2}月(\d{1,2}日)?(底|末|上旬|中旬|下旬)?前)")


@dataclass
class RawMeasure:
    """A measure before unit resolution: spans index the display/match text."""

    start: int
    end: int  # end of the measure text (the tag starts here, after optional whitespace)
    title: tuple[int, int]  # span of the heading the measure belongs to ((0, 0) when none)
    section: list[tuple[int, int]]  # spans of the enclosing headings' labels, outermost first
    tag: Tag
    lead: list[TaggedUnit] = field(default_factory=list)
    support: list[TaggedUnit] = field(default_factory=list)
    deadline: str | None = None


def find_measures(text: str, plan_year: int | None = None) -> list[RawMeasure]:
    """Measures of a match text: one per agency tag, spanning back to the previous tag or heading."""
    broken = break_flattened(text)
    if broken == text:
        return _find_measures(text, plan_year)
    # where a sentence's end became a line break: a one-sentence item there is no heading
    ended = frozenset(i for i, (a, b) in enumerate(zip(text, broken, strict=True)) if a != b)
    out = _find_measures(broken, plan_year, ended, text)
    for m in out:  # a measure ending at a sentence end turned into a line break keeps its 。
        if m.end < len(text) and broken[m.end] == "\n" and text[m.end] != "\n":
            m.end += 1
    return out


# An enumerated item that starts right after a sentence's end inside a flattened line: `…推广。8.数据服务…` /
# `…业务。(一)重点…` / `…机制。二、…` / `…。第三条…`.
_INLINE_ITEM = re.compile(r"[。;!?](?=[ \t\u3000]*(?:\d{1,2}[.、](?!\d)|[一二三四五六七八九十]{1,3}、|"
                          r"\([一二三四五六七八九十\d]{1,3}\)|第[一二三四五六七八九十百]+[条章节]))")


def break_flattened(text: str) -> str:
    """A one-line dump (a document flattened to one very long line by a crawler or a spreadsheet cell) with
    its lost line breaks restored where an enumerated item starts: the sentence end before the item becomes
    a line break, one character for one, so offsets still index the original text."""
    if not any(m.end() - m.start() > _LONG_LINE for m in re.finditer(r"[^\n]+", text)):
        return text
    chars = list(text)
    for line in re.finditer(r"[^\n]+", text):
        if line.end() - line.start() > _LONG_LINE:
            for m in _INLINE_ITEM.finditer(text, line.start(), line.end()):
                chars[m.start()] = "\n"
    return "".join(chars)


def _find_measures(text: str, plan_year: int | None, ended: frozenset[int] = frozenset(),
                   unbroken: str = "") -> list[RawMeasure]:
    outline = Outline(find_headings(text))
    rows = find_table_rows(text)
    # a run-together table is one line in the dump: read it before its sentence ends became line breaks
    rows += find_runon_rows(unbroken or text, [(r.start, r.end) for r in rows])
    out = [m for m in (_row_measure(row, outline, plan_year) for row in rows) if m is not None]
    in_rows = [(r.start, r.end) for r in rows]
    # `[责任单位:A、B]`: square brackets (exports that replaced 【】) hold tags like round ones
    tags = [t for t in find_tags(text.translate(_SQUARE)) if not any(a <= t.start < b for a, b in in_rows)]
    tags += find_label_lines(text, in_rows + [(t.start, t.end) for t in tags])
    tags += find_clause_tags(text, in_rows + [(t.start, t.end) for t in tags])
    tags += find_unit_lines(text, in_rows + [(t.start, t.end) for t in tags])
    tags += find_closing(text, in_rows + [(t.start, t.end) for t in tags])
    floor = 0
    for tag in sorted(tags, key=lambda t: t.start):
        start = _measure_start(text, tag, floor, outline)
        floor = _after_tag(text, tag.end)
        end = _measure_end(text, start, tag.start)
        if tag.rule == "clause" and (rest := _opening_clause_rest(text, tag)):
            end = floor = rest  # `…细则。A牵头,B配合,修订…要求。`: the work is the sentence the clause opens
        if end <= start:
            continue
        title, body_start = _title(text, start, end, outline)
        body_start = _skip_label(text, body_start, end)
        lead, support = split_roles(tag.units)
        if not lead and not support:
            continue
        items = _items_under(text, outline, start, end, tag, tags)
        if items:
            # `一、提升政务服务效能` / `牵头单位:A` / `1.…` `2.…`: the line under the heading assigns its items
            out += [RawMeasure(a, b, (h.body_start, h.body_start + len(h.title)), _section(outline, a), tag, lead,
                               support, _deadline(tag, text[a:b], plan_year)) for h, a, b in items]
            floor = items[-1][2]
            continue
        out.append(RawMeasure(
            start=body_start, end=end, title=title, section=_section(outline, start), tag=tag,
            lead=lead, support=support, deadline=_deadline(tag, text[body_start:end], plan_year),
        ))
    out += _prose_measures(text, outline, plan_year, [(m.start, m.tag.end) for m in out] + in_rows)
    if not out:
        # No agency tag anywhere: the numbered items of the task sections are the measures; an item whose
        # sentences give its work to several units in turn (`A要…;B要…`) is one measure per such sentence.
        tasks = [_task_measure(text, item, outline, plan_year) for item in find_task_items(text, outline)]
        out = [part for m in tasks for part in _split_by_subjects(text, m, plan_year, ended)]
    # Items that each open with a unit and give it the whole item (`(一)区党群工作部按照…(二)…`): they replace
    # what sentence subjects read inside them.
    strong = [(m.start, max(m.end, m.tag.end)) for m in out if (m.lead or m.support) and m.tag.rule not in _WEAK]
    unit_items = _unit_item_measures(text, outline, plan_year, strong + in_rows)
    if unit_items:
        spans = [(m.start, m.end) for m in unit_items]
        out = [m for m in out if not _overlaps(m.start, m.end, spans)] + unit_items
    taken = [(m.start, max(m.end, m.tag.end)) for m in out if m.lead or m.support] + in_rows
    duties = _duty_measures(text, outline, plan_year, taken)
    if duties:
        spans = [(d.start, d.end) for d in duties]
        out = [m for m in out if m.lead or m.support or not _overlaps(m.start, m.end, spans)]
        out += duties
    taken = [(m.start, max(m.end, m.tag.end)) for m in out] + in_rows
    out += _subject_measures(text, outline, plan_year, taken, ended)
    # An item read without units that ends where an assigned measure inside it ends (`二、…` whose last sentence
    # is `省总工会负责…`) says nothing the assigned one does not: only the assigned one is kept.
    assigned = {_text_end(text, m.start, m.end) for m in out if m.lead or m.support}
    out = [m for m in out if m.lead or m.support or _text_end(text, m.start, m.end) not in assigned]
    return sorted(out, key=lambda m: m.start)


def _text_end(text: str, start: int, end: int) -> int:
    """`end` without trailing spaces and sentence punctuation."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in "。;,"):
        end -= 1
    return end


def _items_under(text: str, outline: Outline, start: int, end: int, tag: Tag,
                 tags: list[Tag]) -> list[tuple[Heading, int, int]]:
    """When a tag stands right under a heading (its measure would be the heading alone) and enumerated items
    follow, the items of that section up to the next heading of its level or the next tag: (item, start, end)."""
    if tag.rule not in ("responsibility-line", "labelled", "unit-line"):
        return []
    heading = outline.last_before(tag.start, max(0, start - 8))
    if heading is None or text[heading.body_start + len(heading.title):tag.start].strip(" 。:\n\t") \
            or not heading.title or heading.start < start - 8:
        return []
    next_tag = min((t.start for t in tags if t.start > tag.end), default=len(text))
    after = [h for h in outline.headings if h.start >= tag.end]
    stop = next((h.start for h in after if h.level <= heading.level), len(text))
    stop = min(stop, next_tag)
    items = [h for h in after if h.start < stop and h.level > heading.level]
    if not items or text[tag.end:items[0].start].strip(" 。;\n\t"):
        return []
    level = items[0].level
    items = [h for h in items if h.level == level]
    out = []
    for k, h in enumerate(items):
        b = items[k + 1].start if k + 1 < len(items) else stop
        while b > h.body_start and text[b - 1].isspace():
            b -= 1
        out.append((h, h.body_start, b))
    return out


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)


def _split_by_subjects(text: str, measure: RawMeasure, plan_year: int | None,
                       ended: frozenset[int] = frozenset()) -> list[RawMeasure]:
    """An untagged task item as measures: one per sentence that opens with units (`全国学会、省级科协围绕…`),
    each running to the next; the first also takes the item's text before it. Without such sentences,
    or with one sentence and units already read from the item's prose, the item stays whole."""
    subjects = list(find_subjects(text, measure.start, measure.end, ended))
    if len(subjects) == 1 and measure.lead:
        # the item's one subject sentence: the partners it names (`A要会同B、C等部门…`) support its lead
        lead, support = split_roles(subjects[0].units)
        if [u.mention for u in lead] == [u.mention for u in measure.lead]:
            have = {u.mention for u in measure.lead + measure.support}
            for unit in support:
                if unit.mention not in have:
                    measure.support.append(unit)
                    measure.tag.units.append(unit)
                    have.add(unit.mention)
    if not subjects or (len(subjects) == 1 and (measure.lead or measure.support)):
        return [measure]
    out = []
    for i, tag in enumerate(subjects):
        start = measure.start if i == 0 else tag.start
        end = tag.end
        while end > start and text[end - 1].isspace():
            end -= 1
        lead, support = split_roles(tag.units)
        out.append(RawMeasure(start, end, measure.title if i == 0 else (0, 0), measure.section, tag, lead, support,
                              _deadline(tag, text[start:end], plan_year)))
    return out


def _duty_measures(text: str, outline: Outline, plan_year: int | None,
                   taken: list[tuple[int, int]]) -> list[RawMeasure]:
    """Duty lists (`区民防办:负责…` / a unit heading and its paragraphs): one measure per duty."""
    out = []
    for tag in find_duties(text):
        if _overlaps(tag.start, tag.end, taken):
            continue
        lead, support = split_roles(tag.units)
        out.append(RawMeasure(tag.start, tag.end, (0, 0), _section(outline, tag.start), tag, lead, support,
                              _deadline(tag, text[tag.start:tag.end], plan_year)))
    return out


_SQUARE = str.maketrans("[]", "()")
_WEAK = ("subject", "task-item")  # readings a unit-led item overrides


def _unit_item_measures(text: str, outline: Outline, plan_year: int | None,
                        taken: list[tuple[int, int]]) -> list[RawMeasure]:
    """Unit-led items (loaders.subjects.find_unit_items): one measure per item."""
    out = []
    for tag in [*find_duty_blocks(text, outline.headings), *find_unit_items(text, outline.headings)]:
        if _overlaps(tag.start, tag.end, taken):
            continue
        lead, support = split_roles(tag.units)
        out.append(RawMeasure(tag.start, tag.end, (0, 0), _section(outline, tag.start), tag, lead, support,
                              _deadline(tag, text[tag.start:tag.end], plan_year)))
        taken = [*taken, (tag.start, tag.end)]
    return out


def _subject_measures(text: str, outline: Outline, plan_year: int | None,
                      taken: list[tuple[int, int]], ended: frozenset[int] = frozenset()) -> list[RawMeasure]:
    """Sentences opening with a unit (`区财政局加强对…保障。`) in paragraphs no other assignment covers."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
        # A long flattened line (a one-line dump) is checked sentence by sentence, a paragraph as a whole.
        whole = para.end() - para.start() <= _LONG_LINE
        if whole and _overlaps(para.start(), para.end(), taken):
            continue
        for tag in find_subjects(text, para.start(), para.end(), ended):
            if not whole and _overlaps(tag.start, tag.end, taken):
                continue
            end = tag.end
            while end > tag.start and text[end - 1].isspace():
                end -= 1
            lead, support = split_roles(tag.units)
            out.append(RawMeasure(tag.start, end, (0, 0), _section(outline, tag.start), tag, lead, support,
                                  _deadline(tag, text[tag.start:end], plan_year)))
    return out


def _task_measure(text: str, item: tuple[int, int, int, Heading | None], outline: Outline,
                  plan_year: int | None) -> RawMeasure:
    start, body, end, heading = item
    while end > body and text[end - 1].isspace():
        end -= 1
    if heading is not None:
        title, body = _title(text, start, end, outline)
    else:
        sentence = _paragraph_title(text, body)
        title = (body, body + len(sentence)) if sentence else (0, 0)
        body = _skip_title(text, title, body, end) if sentence else body
    tag, lead, support = task_tag_roles(text, start, end)
    return RawMeasure(body, end, title, _section(outline, start), tag, lead, support,
                      _deadline(tag, text[body:end], plan_year))


def _prose_measures(text: str, outline: Outline, plan_year: int | None,
                    taken: list[tuple[int, int]]) -> list[RawMeasure]:
    """`…,由A牵头,会同B…。` in a paragraph without any tag: the paragraph is a measure led by A."""
    out = []
    for tag in find_prose(text):
        para = paragraph_start(text, tag.start)
        end = text.find("\n", tag.end)
        end = len(text) if end < 0 else end
        if any(a < end and para < b for a, b in taken):
            continue
        lead, support = split_roles(tag.units)
        title, body = _title(text, para, end, outline)
        out.append(RawMeasure(body, end, title, _section(outline, para), tag, lead, support,
                              _deadline(tag, text[body:end], plan_year)))
        taken.append((para, end))
    return out


def _deadline(tag: Tag, measure_text: str, plan_year: int | None) -> str | None:
    """The tag's deadline, else a completion time written in the measure itself (`2023年底前建成…`)."""
    if tag.deadline_text:
        return parse_deadline(tag.deadline_text, plan_year)
    m = _INLINE_DEADLINE.search(measure_text)
    return parse_deadline(m.group(), plan_year) if m else None


def _row_measure(row: TableRow, outline: Outline, plan_year: int | None) -> RawMeasure | None:
    cells = row.cells.get("text") or row.cells.get("title")
    if not cells:
        return None
    tag = row_tag(row)
    lead, support = split_roles(tag.units)
    if not lead and not support:
        return None
    title = row.cells["title"][0] if "text" in row.cells and "title" in row.cells else None
    return RawMeasure(
        start=cells[0].start, end=cells[-1].end, title=(title.start, title.end) if title else (0, 0),
        section=_section(outline, row.start), tag=tag, lead=lead, support=support,
        deadline=_deadline(tag, "".join(c.text for c in cells), plan_year),
    )


def _measure_start(text: str, tag: Tag, floor: int, outline: Outline) -> int:
    para = paragraph_start(text, tag.start)
    start = max(floor, para)
    if not _NOTES_ONLY.fullmatch(text[start:tag.start].strip(_SKIP_AFTER_TAG + "\n")):
        start = _unwrap(text, start, floor, outline)
    else:
        # The tag sits alone on its line (after at most a note such as (0.5分)): the measure is the paragraph
        # before it.
        # (blank lines may stand between the paragraph and its tag: markdown scrapes write one per block)
        line_end = para - 1  # the line break that ends the line above the tag's
        line_start = paragraph_start(text, max(0, line_end))
        while line_end > floor and line_start > floor and not text[line_start:line_end].strip():
            line_end = line_start - 1
            line_start = paragraph_start(text, max(0, line_end))
        start = _unwrap(text, max(floor, line_start), floor, outline)
    heading = outline.last_before(tag.start, start)
    if heading is not None:
        start = heading.start
    return start


_TRAILING_NOTE = re.compile(r"\([^()\n]{0,12}\)\s*$")


def _measure_end(text: str, start: int, tag_start: int) -> int:
    """Where the measure's text ends before its tag: without trailing spaces, list commas or a note such as
    (0.5分) that stands between the text and the tag."""
    end = tag_start
    while True:
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;、"):
            end -= 1
        note = _TRAILING_NOTE.search(text, start, end)
        if note is None or note.start() <= start or not re.search(r"[\d分]", note.group()):
            return end
        end = note.start()


_NOTES_ONLY = re.compile(r"(?:\s*\([^()\n]{0,12}\)\s*)*")
_LINE_END = "。;!?:。；！？：)）"
_MAX_WRAPS = 8
_LONG_LINE = 1500  # characters: longer lines are flattened documents, not paragraphs
_FULL_LINE = 30  # characters: a line broken by the page width, not a heading


def _unwrap(text: str, start: int, floor: int, outline: Outline) -> int:
    """Back over lines that a PDF or a fixed-width page broke mid-sentence: a line that does not end a
    sentence continues on the next one (headings and blank lines stop it)."""
    heads = {h.start: h for h in outline.headings}
    for _ in range(_MAX_WRAPS):
        if start <= floor or start == 0 or text[start - 1] != "\n" or start in heads:
            break
        prev = paragraph_start(text, start - 1)
        line = text[prev:start - 1].rstrip()
        if not line.strip() and prev > 0:
            # A blank line between two halves of a sentence (PDF text that double-spaces its lines): only
            # after a full-width line that does not end a sentence.
            before = paragraph_start(text, prev - 1)
            if len(text[before:prev - 1].strip()) < _FULL_LINE:
                break
            prev, line = before, text[before:prev - 1].rstrip()
        if not line or line[-1] in _LINE_END or prev < floor:
            break
        heading = heads.get(prev + len(text[prev:start]) - len(text[prev:start].lstrip()))
        if heading is not None and heading.title:
            own = text[heading.body_start + len(heading.title):start - 1].strip()
            if len(own) >= 4 and len(line.strip()) >= _FULL_LINE:
                return prev  # `二、标题。正文…` broken by the page width: the item starts at its heading
            break  # a heading line of its own
        start = prev
        if heading is not None:
            break  # an enumerated item whose sentence wraps: it starts here
    return start


_SENTENCE_END = re.compile(r"[。;!?\n]")


def _opening_clause_rest(text: str, tag: Tag) -> int | None:
    """Where the sentence ends when a clause tag opens it and the sentence goes on with the work; else None."""
    before = text[max(0, tag.start - 6):tag.start]
    if not re.search(r"(?:^|[。;\n]|[。;\n]\s*\d{1,2}[.、)]|[。;\n]\s*[一二三四五六七八九十]+、)\s*$", before):
        return None
    stop = _SENTENCE_END.search(text, tag.end)
    end = stop.start() + (text[stop.start()] != "\n") if stop else len(text)
    # `A牵头在3月底前完成…,B要在5月底前完成…`: the next clause with a subject of its own is B's work
    end = next(subject_clause_starts(text, tag.end, end), end)
    return end if len(text[tag.end:end].strip(",。; ")) >= 8 else None


def _after_tag(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SKIP_AFTER_TAG:
        pos += 1
    return pos


def _title(text: str, start: int, end: int, outline: Outline) -> tuple[tuple[int, int], int]:
    """Span of the heading the measure belongs to, and where the measure's own text starts."""
    path = outline.path_at(start)
    para = paragraph_start(text, start)
    deepest = path[-1] if path else None
    if deepest is not None and deepest.start >= para:
        span = (deepest.body_start, deepest.body_start + len(deepest.title))
        if deepest.start != start:
            return span, start
        return span, _skip_title(text, span, deepest.body_start, end)
    title = _paragraph_title(text, para)
    span = (para, para + len(title))
    return span, _skip_title(text, span, start, end) if start == para else start


def _skip_title(text: str, span: tuple[int, int], body: int, end: int) -> int:
    """Start of the measure text after a leading title sentence, unless nothing would be left."""
    if span[0] == span[1]:
        return body
    rest = text[span[1]:end].lstrip("。:;. ")
    return end - len(rest) if len(rest.strip()) >= 4 else body


_LABEL = re.compile(r"\s*(?:具体|主要|重点|工作)(?:措施|举措|任务)\s*:\s*")


def _skip_label(text: str, start: int, end: int) -> int:
    """`具体措施:2021年3月底前…` — the list label is not part of the measure."""
    m = _LABEL.match(text, start, end)
    return m.end() if m and end - m.end() >= 4 else start


def _paragraph_title(text: str, para: int) -> str:
    """`改革人才评价机制。…` — a short first sentence without commas heads its paragraph."""
    m = re.match(r"([^。,;:()\n]{2,24})。", text[para:para + 26])
    return m.group(1) if m else ""


def _section(outline: Outline, pos: int) -> list[tuple[int, int]]:
    path: list[Heading] = outline.path_at(pos)
    return [(h.start, h.body_start + len(h.title)) for h in path]
