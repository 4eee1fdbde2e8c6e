"""A real text-layer PDF, written here with fpdf2 and a CJK font, read through the command line.

The PDF is made the way office software makes one: embedded TrueType subset, text wrapped by the page width
(inside a sentence and inside a tag), a second page.  `loaders extract` must find its measures with their
units, and `loaders load` must put them in the graph, where a saved query finds them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from settings import ROOT

TITLE = "淮南市人民政府办公室关于印发淮南市促进科技成果转化若干措施的通知"
PAGE_ONE = f"""{TITLE}

各县区人民政府，市政府各部门：
现将《淮南市促进科技成果转化若干措施》印发给你们，请认真贯彻执行。

一、建设中试基地。支持龙头企业建设概念验证中心和中试基地，每年认定中试基地3家以上。（牵头单位：市科技局；配合单位：市财政局）
二、设立成果转化引导基金。市级财政出资设立科技成果转化引导基金，吸引社会资本共同投资早期科技项目。（牵头单位：市发展改革委；配合单位：市科技局、市财政局）"""
PAGE_TWO = ("三、培育技术经理人。开展技术经理人培训，对促成成果转化的技术经理人给予奖励。"
            "（牵头单位：市人力资源社会保障局；配合单位：市科技局）\n\n淮南市人民政府办公室\n2024年3月1日")
# What a reader of the notice expects: (title, lead (as written, full name), supporters (as written, full name)).
EXPECTED = [
    ("建设中试基地", [("市科技局", "淮南市科学技术局")], [("市财政局", "淮南市财政局")]),
    ("设立成果转化引导基金", [("市发展改革委", "淮南市发展和改革委员会")],
     [("市科技局", "淮南市科学技术局"), ("市财政局", "淮南市财政局")]),
    ("培育技术经理人", [("市人力资源社会保障局", "淮南市人力资源和社会保障局")], [("市科技局", "淮南市科学技术局")]),
]


def _cjk_font() -> str:
    """A font file with Chinese glyphs (Debian's fonts-wqy-microhei, which `make browser` installs)."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30).stdout
    except FileNotFoundError:
        listed = ""
    files = sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
    if not files:
        pytest.fail("no Chinese font found by fc-list: run `make browser` (installs fonts-wqy-microhei)")
    return next((f for f in files if "wqy-microhei" in f), files[0])


def _write_pdf(path: Path, pages: tuple[str, ...]) -> None:
    """A text-layer PDF of `pages`, each wrapped by the page width, in an embedded CJK font."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=_cjk_font(), collection_font_number=0)
    pdf.set_font("cjk", size=12)
    for page in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, page)
    pdf.output(str(path))


@pytest.fixture(scope="module")
def notice_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "淮南市促进科技成果转化若干措施.pdf"
    _write_pdf(path, (PAGE_ONE, PAGE_TWO))
    return path


def _run(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POLICYGRAPH_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_pdf_has_a_text_layer_that_wraps_lines(notice_pdf: Path) -> None:
    import pypdf

    pages = [page.extract_text() for page in pypdf.PdfReader(notice_pdf).pages]
    assert len(pages) == 2 and TITLE in pages[0]
    assert "早期科技项目" not in pages[0]  # the page width broke that sentence: the reader must join it


def test_extract_reads_the_measures_and_units_of_a_pdf(notice_pdf: Path, tmp_path: Path) -> None:
    out = _run("loaders", "extract", str(notice_pdf), home=tmp_path / "home")
    assert out.returncode == 0, out.stderr
    (record,) = [json.loads(line) for line in out.stdout.splitlines()]
    doc = record["document"]
    assert (doc["title"], doc["issuers"], doc["date"], doc["encoding"]) == (
        TITLE, ["淮南市人民政府办公室"], "2024-03-01", "pdf")
    measures = record["measures"]
    assert [(m["title"], [(u["mention"], u["name"]) for u in m["lead"]],
             [(u["mention"], u["name"]) for u in m["support"]]) for m in measures] == EXPECTED
    texts = ["".join(m["text"].split()) for m in measures]
    assert texts[0] == "支持龙头企业建设概念验证中心和中试基地，每年认定中试基地3家以上。"
    assert texts[1] == "市级财政出资设立科技成果转化引导基金，吸引社会资本共同投资早期科技项目。"
    assert texts[2] == "开展技术经理人培训，对促成成果转化的技术经理人给予奖励。"


def test_load_puts_the_pdfs_measures_in_the_graph(notice_pdf: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    load = _run("loaders", "load", "--no-progress", str(notice_pdf), home=home)
    assert load.returncode == 0, load.stderr
    assert "documents loaded: 1" in load.stdout
    out = _run("graph", "query", "department_portfolio", "--param", "department=市科技局", "--json", home=home)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["rows"]
    assert sorted((r["角色"], r["标题"]) for r in rows) == [
        ("牵头", "建设中试基地"), ("配合", "培育技术经理人"), ("配合", "设立成果转化引导基金")]
    assert {r["政策"] for r in rows} == {TITLE}


NUMBERED_ONE = PAGE_ONE.replace(f"{TITLE}\n", f"{TITLE}\n淮府办〔2024〕5号\n", 1)


def test_the_same_number_as_pdf_and_as_a_web_page_is_one_policy_with_two_sources(tmp_path: Path) -> None:
    """The gov.cn page and its PDF attachment, loaded in one run: one policy (by its 文号), two sources,
    one set of measures; a second PDF with another 文号 stays its own policy."""
    import html

    root = tmp_path / "site"
    (root / "attach").mkdir(parents=True)
    _write_pdf(root / "attach" / "P020240301.pdf", (NUMBERED_ONE, PAGE_TWO))
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in (NUMBERED_ONE + "\n" + PAGE_TWO).splitlines())
    (root / "index.html").write_text(
        f"<html><head><meta charset='utf-8'><title>淮南市人民政府</title></head><body>"
        f"<div class='nav'>首页 | 政务公开</div><div id='zoom'>{paras}</div></body></html>", encoding="utf-8")
    other = NUMBERED_ONE.replace("淮府办〔2024〕5号", "淮府办〔2024〕6号").replace("若干措施", "实施细则")
    _write_pdf(root / "attach" / "P020240302.pdf", (other, PAGE_TWO))

    home = tmp_path / "home"
    load = _run("loaders", "load", "--no-progress", str(root), home=home)
    assert load.returncode == 0, load.stderr
    assert "same policy, another file: 1" in load.stdout, load.stdout
    from graph.engine import EmbeddedEngine
    from graph.store import FalkorStore
    from tests.homes import wait_for_engine_exit

    wait_for_engine_exit(home)
    with EmbeddedEngine(home / "graph") as eng:
        assert eng.secrets is not None
        store = FalkorStore(str(eng.socket_path), eng.secrets.admin_password, eng.secrets.reader_password)
        try:
            rows = store.read("MATCH (p:Policy) WHERE p.version IS NOT NULL "
                              "OPTIONAL MATCH (p)-[:CONTAINS]->(m:Measure) "
                              "RETURN p.doc_number, p.sources, count(m) ORDER BY p.doc_number").rows
        finally:
            store.close()
    assert [(n, sorted(s), c) for n, s, c in rows] == [
        ("淮府办〔2024〕5号", ["attach/P020240301.pdf", "index.html"], 3),
        ("淮府办〔2024〕6号", ["attach/P020240302.pdf"], 3)], rows
