"""HTML → plain text: page chrome dropped, inline markup joined, blocks and table rows on their own lines."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

log = logging.getLogger(__name__)

_DROP = {"script", "style", "noscript", "iframe", "head", "nav", "header", "footer", "select", "form",
         "button", "object", "embed", "svg", "template"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody", "thead",
          "section", "article", "dd", "dt", "dl", "blockquote", "pre", "hr", "center", "caption", "title"}
# Containers that gov.cn / provincial sites use for the article body, best first.
_CONTENT_XPATH = (
    "//*[@id='UCAP-CONTENT']", "//*[@id='zoom']", "//*[@class='TRS_Editor']", "//*[@id='content']",
    "//*[contains(@class,'article-content')]", "//article", "//*[contains(@class,'content')]", "//body",
)
_SQL_ESCAPES = re.compile(r"\\([\"'\\nrt])")
_UNESCAPE = {"n": "\n", "r": "", "t": "\t"}
_CJK_GAP = re.compile(r"(?<=[^\x00-\xff]) +(?=[^\x00-\xff])")
_WS = re.compile(r"[ \t\r\n\f\v\xa0]+")


@dataclass
class HtmlText:
    """Text of an HTML page: the article body and the whole page (for metadata fields)."""

    body: str
    page: str
    title: str


def looks_sql_escaped(text: str) -> bool:
    """True for markup saved from a SQL dump, where attribute quotes read `align=\\"left\\"`."""
    return text.count('\\"') >= 3


def html_to_text(markup: str) -> HtmlText:
    """Convert an HTML page or fragment to plain text (body and whole page)."""
    if looks_sql_escaped(markup):
        markup = _SQL_ESCAPES.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(1)), markup)
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return HtmlText(markup, markup, "")
    title = _page_title(root)
    page = render(root)
    body_el = _content_root(root)
    body = render(body_el) if body_el is not None else page
    return HtmlText(body, page, title)


def _page_title(root: lxml.html.HtmlElement) -> str:
    found = root.xpath("//title")
    return _WS.sub(" ", found[0].text_content()).strip() if found else ""


def _content_root(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for xpath in _CONTENT_XPATH:
        best = max(root.xpath(xpath), key=_visible_length, default=None)
        if best is not None and _visible_length(best) > 200:
            return best
    return None


def _visible_length(el: lxml.html.HtmlElement) -> int:
    """Characters of text a reader sees in `el`: not its scripts and styles (a page's `#content` box may hold
    little more than a share button's script, while the article sits in a box of another name)."""
    return sum(len(t.strip()) for t in el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]"))


def render(el: lxml.html.HtmlElement) -> str:
    """Plain text of an element: blocks on new lines, table rows as `| a | b |`, inline markup joined."""
    out: list[str] = []
    _render(el, out)
    lines = []
    for line in "".join(out).split("\n"):
        line = _WS.sub(" ", line)
        # Gaps between Chinese characters are layout, except inside table cells, where a line break can
        # separate two names (县行政审批局(牵头)<br>县数据资源局); loaders.tables reads those.
        line = (line if line.lstrip().startswith("|") else _CJK_GAP.sub("", line)).strip(" \u3000")
        if line and line != "|":
            lines.append(line)
    return "\n".join(lines)


def _render(el: lxml.html.HtmlElement, out: list[str]) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag or tag in _DROP:  # comments, processing instructions, page chrome
        if el.tail:
            out.append(_inline(el.tail))
        return
    if tag == "table" and not any(True for _ in el.iterdescendants("table")):
        # Layout tables that hold other tables render cell by cell; data tables render as a grid.
        _render_table(el, out)
        if el.tail:
            out.append(_inline(el.tail))
        return
    if tag in _BLOCK or tag == "tr":
        out.append("\n")
    if tag in ("td", "th"):
        out.append(" | ")
    if el.text:
        out.append(_inline(el.text))
    for child in el:
        _render(child, out)
    if tag == "tr":
        out.append(" |")
    if tag in _BLOCK or tag == "tr":
        out.append("\n")
    if el.tail:
        out.append(_inline(el.tail))


def _inline(text: str) -> str:
    # Source line breaks inside a paragraph are layout, not content.
    return _WS.sub(" ", text)


_MAX_SPAN = 50


def _span(cell: lxml.html.HtmlElement, name: str) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(str(cell.get(name, "1")).strip() or 1)))
    except ValueError:
        return 1


def _render_table(table: lxml.html.HtmlElement, out: list[str]) -> None:
    """Rows as `| a | b |` lines, with rowspan cells filled down and colspan cells filled right.

    A task table that writes its 牵头单位 once for three rows (rowspan=3) then gives each row its unit, so the
    rows parse on their own. A row that is one cell across the whole table (a section title) stays one cell.
    """
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
    grid: list[tuple[list[str], bool]] = []
    for tr in rows:
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        row: list[str] = []
        col = ci = 0
        spanned = len(cells) == 1 and not pending
        while ci < len(cells) or any(c >= col for c in pending):
            if col in pending:
                text, left = pending.pop(col)
                if left > 1:
                    pending[col] = (text, left - 1)
                row.append(text)
                col += 1
                continue
            if ci >= len(cells):
                row.append("")
                col += 1
                continue
            cell = cells[ci]
            ci += 1
            text = _cell_text(cell)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for _ in range(colspan):
                row.append(text)
                if rowspan > 1:
                    pending[col] = (text, rowspan - 1)
                col += 1
        grid.append((row, spanned))
    width = max((len(r) for r, _ in grid), default=0)
    out.append("\n")
    for row, spanned in grid:
        if spanned and width > 1 and len(row) == width:
            row = row[:1]
        out.append("\n| " + " | ".join(row) + " |\n")
    out.append("\n")


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    parts: list[str] = []
    if cell.text:
        parts.append(_inline(cell.text))
    for child in cell:
        _render(child, parts)
    return _WS.sub(" ", "".join(parts).replace("|", "/")).strip()
