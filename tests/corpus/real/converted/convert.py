#!/usr/bin/env python3
"""Rebuild the converted documents of converted/docs from the real HTML task tables of the corpus.

usage: convert.py [--check]

Markdown pipe tables and .docx task tables arise in practice by converting web pages and word-processor
files; no real one was found in a public repository (SOURCES.md). So the real HTML task tables of the corpus
are converted with widely used converters from PyPI, each run as its own command-line tool with default
options, and the .docx is written with python-docx cell by cell (merged cells merged). The sources are the
corpus documents themselves (docs/u01…, holdout2/docs/v01…, v02…), so the conversion can be repeated:

- markdownify (CLI `markdownify IN.html > OUT.md`, default options)
- html2text (CLI `html2text IN.html utf-8 > OUT.md`, default options: lines wrapped at 78 columns)
- python-docx (`build_docx` below: text outside tables as paragraphs, each HTML table as a Word table with
  the same rows and columns, rowspan/colspan cells merged with `cell.merge`)

Input to the converters: u01's stored text is the SQL value of a gov.cn page fragment, so its SQL quoting is
undone (`''` → `'`) and the inner HTML of its `td#UCAP-CONTENT` cell (the article; the rest is the page's
layout table) is cut out by position. v01 and v02 are JSP pages and are converted whole, as stored.
`--check` only compares freshly converted output with the stored files (exit 1 on a difference). The
converters are not project requirements: `pip install markdownify html2text` first.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parent
BIN = Path(sys.executable).parent

SOURCES = {
    "u01_national_zhichi-chuangxin-gaige-di-er-pi_2018": REAL / "docs",
    "v01_jiangxi_shicheng-hezhang-bumen-kaohe_2018": REAL / "holdout2" / "docs",
    "v02_jiangxi_shicheng-hezhang-xiangzhen-kaohe_2018": REAL / "holdout2" / "docs",
}
_OPEN_CELL = '<td class="b12c" id="UCAP-CONTENT">'


def source_html(stem: str) -> str:
    """The HTML handed to the converters (see the module docstring)."""
    raw = (SOURCES[stem] / f"{stem}.txt").read_text(encoding="utf-8")
    if not stem.startswith("u01"):
        return raw
    html = raw.replace("''", "'")
    start = html.index(_OPEN_CELL) + len(_OPEN_CELL)
    end = html.rindex("</td>", start, html.rindex("<td></td>"))
    return html[start:end]


def run_cli(tool: str, html: str) -> str:
    env = dict(os.environ, PYTHONUTF8="1", PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.html"
        src.write_text(html, encoding="utf-8")
        args = [str(BIN / tool), str(src)] + (["utf-8"] if tool == "html2text" else [])
        return subprocess.run(args, capture_output=True, check=True, env=env).stdout.decode("utf-8")


def _text(el) -> str:
    """Visible text of an element, HTML whitespace collapsed the way a browser renders it."""
    return re.sub(r"\s+", " ", el.get_text()).strip()


def _cell_paragraphs(td) -> list[str]:
    """A table cell's text as paragraphs: one per <p> (or <br>-separated line); empty ones dropped."""
    for br in td.find_all("br"):
        br.replace_with("\n")
    paras = td.find_all("p")
    parts = [_text(p) for p in paras] if paras else [re.sub(r"[ \t\r\f\v]+", " ", line).strip()
                                                   for line in td.get_text().split("\n")]
    return [p for p in parts if p]


def _grid(table) -> list[list[tuple[int, int, list[str]] | None]]:
    """Rows of (rowspan, colspan, paragraphs) at each cell's top-left grid position, None where covered."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    taken: set[tuple[int, int]] = set()
    grid: dict[tuple[int, int], tuple[int, int, list[str]]] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in taken:
                c += 1
            rs = int(td.get("rowspan", 1) or 1)
            cs = int(td.get("colspan", 1) or 1)
            grid[(r, c)] = (rs, cs, _cell_paragraphs(td))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            c += cs
            width = max(width, c)
    height = max((r for r, _ in taken), default=-1) + 1
    return [[grid.get((r, c)) for c in range(width)] for r in range(height)]


def build_docx(html: str) -> bytes:
    """A .docx with the page's text as paragraphs and each HTML table rebuilt cell by cell, merges included."""
    import docx  # noqa: PLC0415
    from bs4 import BeautifulSoup  # noqa: PLC0415

    soup = BeautifulSoup(re.sub(r"<%.*?%>", "", html, flags=re.S), "lxml")  # JSP server code is never shown
    for el in soup.find_all(["script", "style", "link", "head"]):
        el.decompose()
    document = docx.Document()
    body = soup.body or soup
    tables = [t for t in body.find_all("table") if t.find_parent("table") is None]
    for placeholder, table in enumerate(tables):
        table.replace_with(f"\n@@TABLE{placeholder}@@\n")
    blocks = ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "br"]
    for el in body.find_all(blocks):
        el.insert_before("\n")
        el.insert_after("\n")
    for line in body.get_text().split("\n"):
        line = re.sub(r"\s+", " ", line).strip()
        m = re.fullmatch(r"@@TABLE(\d+)@@", line)
        if m:
            _add_table(document, tables[int(m.group(1))])
        elif line:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.core_properties.author = "convert.py"
    document.save(out)
    return out.getvalue()


def _add_table(document, table) -> None:
    caption = table.find("caption")
    if caption is not None and _text(caption):
        document.add_paragraph(_text(caption))
    grid = _grid(table)
    word = document.add_table(rows=len(grid), cols=len(grid[0]))
    word.style = "Table Grid"
    for r, row in enumerate(grid):
        for c, origin in enumerate(row):
            if origin is None:
                continue
            rs, cs, paras = origin
            cell = word.cell(r, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(word.cell(r + rs - 1, c + cs - 1))
            cell.paragraphs[0].text = paras[0] if paras else ""
            for p in paras[1:]:
                cell.add_paragraph(p)


def outputs() -> dict[str, bytes]:
    out = {}
    for stem in SOURCES:
        html = source_html(stem)
        out[f"{stem}_markdownify.md"] = run_cli("markdownify", html).encode("utf-8")
        out[f"{stem}_html2text.md"] = run_cli("html2text", html).encode("utf-8")
        out[f"{stem}_python-docx.docx"] = build_docx(html)
    return out


def _same_docx(a: bytes, b: bytes) -> bool:
    """Two .docx files hold the same document (zip timestamps and core-property dates differ per run)."""
    import zipfile  # noqa: PLC0415

    za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
    names = sorted(n for n in za.namelist() if n != "docProps/core.xml")
    return names == sorted(n for n in zb.namelist() if n != "docProps/core.xml") and all(
        za.read(n) == zb.read(n) for n in names)


def main(argv: list[str]) -> int:
    docs = HERE / "docs"
    docs.mkdir(exist_ok=True)
    differ = 0
    for name, data in outputs().items():
        path = docs / name
        if "--check" in argv:
            old = path.read_bytes() if path.exists() else b""
            same = _same_docx(old, data) if name.endswith(".docx") and old else old == data
            if not same:
                differ += 1
                print(f"{name}: differs from a fresh conversion")
        else:
            path.write_bytes(data)
            print(f"{name}: {len(data)} bytes")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
