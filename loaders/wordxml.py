"""A .docx's text, read with bounded resources: paragraphs and table rows in document order.

The archive's main part is decompressed in chunks and its size measured as it comes (the sizes in
the zip headers are not trusted), and fed to a streaming XML parser; each element is dropped once
its text is taken, so memory follows the text, not the markup.  Table spans are capped, table
cells and nesting are counted, and a file that exceeds a bound fails with a LoaderError naming it.
Elements are matched by local name in the WordprocessingML namespaces (transitional and strict)
or in none at all, so a document written without the usual `w:` namespace still reads.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from loaders.errors import LoaderError

log = logging.getLogger(__name__)

MAX_PART_BYTES = 64 * 2**20  # decompressed main part; a 300-page Word policy is under 10 MB
MAX_PART_RATIO = 100  # decompressed / compressed, measured; Word XML deflates about 10:1
MAX_RELS_BYTES = 2**20
MAX_SPAN = 50  # grid columns one cell may cover (the same cap as HTML colspan)
MAX_COLUMNS = 200  # grid columns in one row
MAX_CELLS = 100_000  # table cells written out, spans included, per document (a big task table: ~3,000)
MAX_TABLE_DEPTH = 8
MAX_TEXT_CHARS = 20_000_000
CHUNK = 64 * 1024

W_NAMESPACES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
    "",
}
# Only these elements reach Python (the parser skips the rest); the others are freed with their paragraph.
_EVENT_TAGS = ["{*}" + t for t in ("p", "r", "t", "tab", "br", "cr", "tbl", "tr", "tc", "gridSpan", "vMerge",
                                   "Fallback")]
_MAIN_REL = re.compile(rb'Type="[^"]*/officeDocument"[^>]*Target="([^"]+)"'
                       rb'|Target="([^"]+)"[^>]*Type="[^"]*/officeDocument"')


def docx_text(data: bytes, source: str) -> str:
    """The text of a .docx: paragraphs one per line, table rows as `| a | b |`, in document order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        part = _main_part(archive, source)
        reader = _Reader(source)
        for chunk in _measured_chunks(archive, part, MAX_PART_BYTES, source):
            reader.feed(chunk)
        return reader.close()
    except LoaderError:
        raise
    except MemoryError:
        raise _too_big(source, "needs more memory than one document may use") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError,
            OSError, KeyError, etree.Error) as exc:
        raise LoaderError(f"{source}: cannot read the .docx ({type(exc).__name__}: {str(exc)[:200]}); "
                          "re-save it from Word and load it again",
                          "无法读取这个 .docx 文件（文件已损坏或不是 Word 文档），"
                          "请用 Word 重新保存后再导入。") from exc


def _too_big(source: str, what: str) -> LoaderError:
    return LoaderError(f"{source}: the .docx {what}, far beyond any policy document; refused",
                       "这个 .docx 文件的内容规模远超正常公文（可能是恶意构造或已损坏），已拒绝导入；"
                       "请用 Word 另存为新文件，或导出为 .txt 后再导入。")


def _main_part(archive: zipfile.ZipFile, source: str) -> str:
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        rels = b"".join(_measured_chunks(archive, "_rels/.rels", MAX_RELS_BYTES, source))
        m = _MAIN_REL.search(rels)
        target = (m.group(1) or m.group(2)).decode("utf-8", "replace").lstrip("/") if m else ""
        if target in names:
            return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise LoaderError(f"{source}: not a Word document (no word/document.xml in the archive); "
                      "re-save it from Word as .docx and load it again",
                      "这不是 Word 文档（压缩包中没有正文部分），请用 Word 另存为 .docx 后再导入。")


def _measured_chunks(archive: zipfile.ZipFile, name: str, limit: int, source: str) -> Iterator[bytes]:
    """Decompress one member in chunks, counting what really comes out (headers may lie)."""
    info = archive.getinfo(name)
    size = archive.fp.seek(0, io.SEEK_END) if archive.fp is not None else info.compress_size
    packed = max(1, min(info.compress_size, size))  # a header may claim more packed bytes than the file has
    seen = 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            seen += len(chunk)
            if seen > limit:
                raise _too_big(source, f"unpacks to more than {limit // 2**20} MB")
            if seen > 1_000_000 and seen > packed * MAX_PART_RATIO:
                raise _too_big(source, f"unpacks to more than {MAX_PART_RATIO}× its packed size (a zip bomb)")
            yield chunk


@dataclass
class _Table:
    rows: list[str] = field(default_factory=list)
    row: list[str] = field(default_factory=list)
    above: list[str] = field(default_factory=list)  # the previous row's text by grid column (vMerge)
    shown: list[str] = field(default_factory=list)  # the row's cells as written: a spanned cell once
    cell: list[str] = field(default_factory=list)
    span: int = 1
    merged: bool = False


class _Reader:
    """Streaming WordprocessingML → text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parser = etree.XMLPullParser(events=("start", "end"), tag=_EVENT_TAGS, resolve_entities=False,
                                          no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)
        self.lines: list[str] = []
        self.paras: list[list[str]] = []  # open paragraphs (a text box's paragraphs sit inside one)
        self.skip = 0
        self.tables: list[_Table] = []
        self.cells = 0
        self.chars = 0

    def feed(self, chunk: bytes) -> None:
        self.parser.feed(chunk)
        self._drain()

    def close(self) -> str:
        self.parser.close()
        self._drain()
        return "\n".join(self.lines)

    def _drain(self) -> None:
        for event, el in self.parser.read_events():
            namespace, _, local = el.tag[1:].rpartition("}") if el.tag[0] == "{" else ("", "", el.tag)
            if local == "Fallback":  # markup-compatibility copy of the Choice beside it
                self.skip += 1 if event == "start" else -1
            if self.skip or namespace not in W_NAMESPACES:
                continue
            if event == "start":
                self._start(local, el)
            else:
                self._end(local, el)

    def _start(self, tag: str, el: etree._Element) -> None:
        if tag == "p":
            self.paras.append([])
        elif tag == "tbl":
            if len(self.tables) >= MAX_TABLE_DEPTH:
                raise _too_big(self.source, f"nests tables more than {MAX_TABLE_DEPTH} deep")
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].row, self.tables[-1].shown = [], []
        elif tag == "tc" and self.tables:
            table = self.tables[-1]
            table.cell, table.span, table.merged = [], 1, False

    def _end(self, tag: str, el: etree._Element) -> None:
        if tag in ("t", "tab", "br", "cr") and self.paras:
            self._add({"t": el.text or "", "tab": "\t"}.get(tag, "\n"))
        elif tag == "p":
            self._paragraph()
        elif tag == "gridSpan" and self.tables:
            self.tables[-1].span = _span(el)
        elif tag == "vMerge" and self.tables:
            self.tables[-1].merged = _attr(el, "val") in ("", "continue")
        elif tag == "tc" and self.tables:
            self._cell(self.tables[-1])
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            # A cell spanning several grid columns is written once (as an HTML colspan reads); a vertically
            # merged one is repeated in every row it covers (as an HTML rowspan reads).
            line = "| " + " | ".join(table.shown) + " |"
            self._count(len(line))  # spans and merges repeat a cell's text: count what is written out
            table.rows.append(line)
            table.above = table.row
        elif tag == "tbl" and self.tables:
            rows = self.tables.pop().rows
            if self.tables:  # a table inside a cell: its rows become that cell's text
                self.tables[-1].cell.append(" ".join(r.strip("| ") for r in rows))
            else:
                self.lines += rows
        if tag in ("p", "tbl", "tr", "tc", "r"):
            _drop(el)

    def _add(self, text: str) -> None:
        self._count(len(text))
        self.paras[-1].append(text)

    def _count(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_TEXT_CHARS:
            raise _too_big(self.source, f"holds more than {MAX_TEXT_CHARS // 1_000_000} million characters")

    def _paragraph(self) -> None:
        text = "".join(self.paras.pop()) if self.paras else ""
        if self.tables:
            self.tables[-1].cell.append(text)
        else:
            self.lines.append(text)

    def _cell(self, table: _Table) -> None:
        column = len(table.row)
        if table.merged and column < len(table.above):
            text = table.above[column]  # a vertically merged cell repeats the text above
        else:
            text = " ".join(p for p in table.cell if p).replace("\n", " ").replace("|", "/")
        span = min(table.span, MAX_COLUMNS - column)
        self.cells += max(1, span)
        if self.cells > MAX_CELLS:
            raise _too_big(self.source, f"has more than {MAX_CELLS} table cells")
        table.row += [text] * max(0, span)
        table.shown.append(text)


def _attr(el: etree._Element, name: str) -> str:
    for key, value in el.attrib.items():
        if etree.QName(key).localname == name:
            return str(value)
    return ""


def _span(el: etree._Element) -> int:
    try:
        return max(1, min(MAX_SPAN, int(_attr(el, "val").strip() or 1)))
    except ValueError:
        return 1


def _drop(el: etree._Element) -> None:
    """Free a finished element and the siblings before it: the tree never holds the whole document."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
