"""Where assignments sit: bracketed tags `(…)`, responsibility lines `责任单位:…`, and prose `由A牵头,会同B…`.

The reading of an assignment itself is the grammar in loaders.grammar; this module finds the places where
one is written and gives each Tag its span. Everything works on match text (simplified, half-width).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from loaders.grammar import (
    DATE_CLAUSE,
    DEADLINE_LABEL,
    FIRST_LISTED,
    LABEL,
    LEAD,
    MONTH_CLAUSE,
    SCOPE_NOTE,
    SUPPORT,
    Tag,
    TaggedUnit,
    blank,
    parse_assignment,
    parse_verbs,
    split_roles,
)
from loaders.unitlex import is_named_unit, is_unit, is_unit_list
from loaders.units import split_units

log = logging.getLogger(__name__)

__all__ = ["FIRST_LISTED", "LEAD", "SUPPORT", "Tag", "TaggedUnit", "find_clause_tags", "find_label_lines",
           "find_prose", "find_tags", "find_unit_lines", "parse_prose", "parse_tag", "split_roles"]

_MAX_TAG = 400


def find_tags(text: str) -> list[Tag]:
    """All bracketed assignments in a match text, in order."""
    tags = []
    pos = 0
    while (open_at := text.find("(", pos)) >= 0:
        close_at = _matching_paren(text, open_at)
        if close_at < 0:
            pos = open_at + 1
            continue
        content = text[open_at + 1:close_at]
        if "\n" in content:
            # A tag wrapped by the page width, even inside a word (`(责任单\n位:A、B集\n团)`): read it whole;
            # unit offsets then point into the tag approximately, which is all evidence needs.
            content = _WRAP.sub("", _PAGE_GAP.sub("\n", content))
        tag = parse_tag(content, open_at + 1)
        if tag is not None and tag.rule == "bare-list" and not _bare_tag(text, open_at, close_at, tag):
            tag = None
        if tag is not None:
            tag.start, tag.end = open_at, close_at + 1
            tags.append(tag)
            pos = close_at + 1
        else:
            pos = open_at + 1
    return tags


_BLANKS = re.compile(r"\s*")


# A page number standing alone on its line in PDF text: `— 5 —`, `-5-`, `第5页`, `5`.
_PAGE_NUMBER = (r"[ \t\u3000]*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3})"
                r"[ \t\u3000]*")
_PAGE_GAP = re.compile(rf"\s*\n{_PAGE_NUMBER}\n\s*")


def _double_spaced(text: str, pos: int) -> bool:
    """A blank line inside a word of a tag (`省市场监管局(省知\n\n识产权局)`): text from PDFs whose every line
    break is doubled. Only mid-sentence (no sentence end before it) and when the next line goes on with text."""
    blanks = _BLANKS.match(text, pos)  # `\s*` always matches
    end = blanks.end() if blanks else pos
    return text[pos - 1:pos] not in "。;!?:" and text[pos:end].count("\n") == 2 \
        and "\u4e00" <= text[end:end + 1] <= "\u9fff"


def _page_break(text: str, pos: int) -> bool:
    """Blank lines that hold a form feed: a PDF page break inside a sentence, not a paragraph's end."""
    blanks = _BLANKS.match(text, pos)  # `\s*` always matches
    # the reader turns the form feed into a line break (loaders.read.sanitize); lines holding only spaces are
    # what a PDF text layer leaves at a page's end
    return blanks is not None and ("\f" in blanks.group() or bool(_SPACE_LINE.search(blanks.group())))


_WRAP = re.compile(r"[ \t\u3000]*\n\s*")
_SPACE_LINE = re.compile(r"\n[ \t\u3000]+\n")


def _bare_tag(text: str, open_at: int, close_at: int, tag: Tag) -> bool:
    """A bracketed list with no role word assigns its units only where a tag stands: not right after a unit's
    name (市水务局(海洋局): another name), not inside a running sentence (属地街镇(镇人民政府、街道办事处)负责…),
    and not a single name without any level or region (学校(小学部))."""
    if _names_before(text, open_at):
        return False
    after = text[close_at + 1:close_at + 2]
    if after and "\u4e00" <= after <= "\u9fff" and text[open_at - 1:open_at] not in "。;.\n":
        return False
    return len(tag.units) > 1 or is_named_unit(tag.units[0].mention)


_ITEM_START = re.compile(r"[、,;:。()\s]")


def _names_before(text: str, open_at: int) -> bool:
    """True when the list item right before `open_at` is a unit name."""
    start = max(open_at - 20, 0)
    stop = max((m.end() for m in _ITEM_START.finditer(text, start, open_at)), default=start)
    return open_at - stop >= 2 and is_unit(text[stop:open_at])


_MAX_WRAPS = 3


def _matching_paren(text: str, open_at: int, limit: int = _MAX_TAG) -> int:
    """The closing parenthesis; a tag may wrap over a few lines (text taken from PDFs or fixed-width pages
    breaks lines anywhere), and over a page break (a form feed or a page number between blank lines), never
    over a blank line."""
    depth, wraps = 0, 0
    i, stop = open_at, min(len(text), open_at + limit)
    while i < stop:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        elif ch == "\n" and text[i - 1:i].strip():
            wraps += 1
            page = _PAGE_GAP.match(text, i)
            if page is not None:
                i = page.end()  # the page break counts as one wrap
                continue
            if wraps > _MAX_WRAPS or not text[i + 1:i + 2].strip() and not _page_break(text, i + 1) \
                    and not _double_spaced(text, i):
                return -1
        i += 1
    return -1


def parse_tag(content: str, offset: int = 0) -> Tag | None:
    """Parse the inside of a parenthesis; None when it is not an assignment."""
    if "。" in blank(content, SCOPE_NOTE).rstrip("。 ") and not LABEL.search(content):
        return None  # a sentence in brackets, not a list
    return parse_assignment(content, offset)


def parse_prose(content: str, offset: int) -> Tag:
    """`A、B牵头,C配合` / `A、B负责` / `由A牵头,会同B` / `A会同有关部门负责` / `X牵头,Y等按职责分工负责`."""
    return parse_verbs(content, offset)


# A responsibility line: a label at a line start, or right after a sentence's end.
_LINE_START = re.compile(r"(?:^|(?<=\n)|(?<=[。;]))[ \t\u3000]*(?:[-—·•*]+\s*)?", re.M)


def find_label_lines(text: str, taken: list[tuple[int, int]]) -> list[Tag]:
    """`责任单位:A、B` / `牵头单位:A 配合单位:B` / `【牵头单位】A` written outside brackets, one Tag per block.

    A block is a run of consecutive lines that each start with a unit or deadline label; the labels'
    values run to the next label or the line's end. Spans in `taken` (bracketed tags, table rows) are skipped.
    """
    out: list[Tag] = []
    for start, end in _label_blocks(text):
        if any(a <= start < b for a, b in taken):
            continue
        content = text[start:end]
        tag = parse_assignment(content, start, bare=False)
        if tag is None:
            continue
        tag.start, tag.end, tag.rule = start, end, "responsibility-line"
        out.append(tag)
    return out


def _label_blocks(text: str) -> Iterator[tuple[int, int]]:
    block: tuple[int, int] | None = None
    for m in _LINE_START.finditer(text):
        pos = m.end()
        label = LABEL.match(text, pos) or DEADLINE_LABEL.match(text, pos)
        if label is None or text.startswith("|", pos) or _depth(text, pos) > 0:
            continue
        line_end = text.find("\n", pos)
        line_end = _value_end(text, pos, len(text) if line_end < 0 else line_end)
        if block is not None and text[block[1]:pos].strip() == "":
            block = (block[0], line_end)  # the next label line of the same block
            continue
        if block is not None:
            yield block
        block = (pos, line_end) if LABEL.match(text, pos) else None
    if block is not None:
        yield block


# What ends a label's value inside a line: a sentence end, or the next enumerated item run on after the units
# (a one-line dump: `…新兴产业。 责任单位:各区属国企3.加快产业化项目拓展。…` / `责任单位:区国资局(二)…`).
_VALUE_END = re.compile(r"[。!?]|(?<![\d.])\d{1,2}[.、](?!\d)|\([一二三四五六七八九十]{1,3}\)|"
                        r"(?<![\u4e00-\u9fff])[一二三四五六七八九十]{1,3}、")


def _value_end(text: str, pos: int, line_end: int) -> int:
    """Where the label line starting at `pos` ends: its line's end, or before an item or sentence run on after it."""
    found = _VALUE_END.search(text, pos, line_end)
    return found.start() if found else line_end


def _depth(text: str, pos: int) -> int:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("(") - before.count(")")


_DUTIES_BELOW = re.compile(r"^\s*(?:[\d一二三四五六七八九十]+[、.]|\(\d+\))?\s*(?:主要)?(?:负责|牵头|承担|职责)")
_CLOSING_FORMULA = re.compile(r"(?:特此[\u4e00-\u9fff]{0,4}|此复|请遵照执行|请认真(?:贯彻)?执行|请认真贯彻落实|"
                              r"请结合实际[^。]{0,12}(?:执行|落实))。?$")
_DATE_LINE = re.compile(r"^\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年[^。]{0,12}日?\s*$")


def find_unit_lines(text: str, taken: list[tuple[int, int]]) -> list[Tag]:
    """A line that is only a list of units under a paragraph that ends a sentence (`1.建设中试基地。…效率。` /
    `市科技局、市工信局、市财政局`): the paragraph's assignment. Not a signature (a unit line followed by a
    date, or the document's last lines) and not an addressee line (it ends with a colon)."""
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    out = []
    for k, line in enumerate(lines[1:-1], start=1):
        body = line.group().strip()
        if not 2 <= len(body) <= 120 or re.search(r"[:。;!?《]", body) or body.startswith(("(", "|")):
            continue
        if any(a <= line.start() < b for a, b in taken):
            continue
        previous, following = lines[k - 1].group().rstrip(), lines[k + 1].group()
        if not previous.endswith(("。", ";")) or k >= len(lines) - 2 or _DUTIES_BELOW.match(following) \
                or _CLOSING_FORMULA.search(previous) \
                or any(_DATE_LINE.match(line.group()) for line in lines[k + 1:k + 5]):
            continue  # a signature (issuers, then a date), or a unit heading with its duties below (负责…)
        units = split_units(body)
        if not units or not is_unit_list(units) or not any(is_named_unit(u) for u in units):
            continue
        start = line.start() + line.group().find(body)
        tag = Tag(start, start + len(body), body, rule="unit-line")
        tag.units = [TaggedUnit(u, "", FIRST_LISTED, start) for u in units]
        out.append(tag)
    return out


# Prose: `由A牵头` / `由A负责` / `由A会同B` anywhere in a sentence, or `A牵头,B配合` opening a clause.
_PROSE = re.compile(
    # (a short topic may come first: `配送具体办法由A和B牵头制定`)
    r"(?:(?<=[。;,:\n])|^)[ \t]*(?:[^,。;:()\n由]{1,12}?(?<![自理缘经事])(?<!建立|成立|组建|设立|组成|形成|构建|健全))?"
    r"(?P<tag>由[^,。;:()\n由]{2,60}?(?:牵头|负责(?!人)|会同)[^。;\n]{0,120})(?=[。;\n]|$)|"
    r"(?:(?<=[。;:\n])|^)[ \t]*"
    r"(?P<lead>[^,。;:()\n]{2,60}?牵头[,、][^。;\n]{2,120}?(?:配合|参与|协助|负责))(?=[,。;\n])",
    re.M,
)


def find_prose(text: str) -> Iterator[Tag]:
    """Assignments written in running text, whose units read as units."""
    for m in _PROSE.finditer(text):
        group = "tag" if m.group("tag") else "lead"
        body = m.group(group)
        if body.rstrip("。;").endswith("解释"):
            continue  # `由A负责解释`: the closing clause of a rule, not a measure
        tag = parse_verbs(body, m.start(group), prose=True)
        lead, _ = split_roles(tag.units)
        if not lead or not is_unit_list([u.mention for u in lead]) or tag.units[0].role == SUPPORT:
            continue
        tag.start, tag.end, tag.content, tag.rule = m.start(group), m.end(group), body, "prose"
        yield tag


# A tag written as a clause of its own: `…开展稽查主题设计,A牵头,B、C配合,3月底前完成…` / `…校核。A牵头,B配合,在…`.
_CLAUSE = re.compile(
    r"(?<=[,。;])[ \t]*(?!由)"
    r"(?P<tag>[^,。;:()\n]{2,40}?(?:牵头|牵头负责)(?:,[^,。;:()\n]{2,80}?(?:配合|参与|协助|协同))?)"
    r"(?=[,。;]|$)(?!,\s*(?:会同|联合))"
)


def find_clause_tags(text: str, taken: list[tuple[int, int]]) -> list[Tag]:
    """Assignments written as clauses of their own (units, 牵头, optionally units, 配合), nothing else."""
    out = []
    for m in _CLAUSE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        tag = parse_verbs(m.group("tag"), m.start("tag"))
        if not tag.units or not is_unit_list([u.mention for u in tag.units]) or tag.units[0].role != LEAD:
            continue
        tag.start, tag.end, tag.content, tag.rule = m.start("tag"), m.end("tag"), m.group("tag"), "clause"
        # `…,A牵头,B配合,3月底前完成试点…`: the time frame after the clause is the measure's.
        after = re.match(r"[^。;\n]{0,40}", text[m.end():])
        when = DATE_CLAUSE.search(after.group()) or MONTH_CLAUSE.search(after.group()) if after else None
        tag.deadline_text = tag.deadline_text or (when.group() if when else "")
        out.append(tag)
    return out
