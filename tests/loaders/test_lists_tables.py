"""Shared-suffix lists (省发展改革、工业和信息化部门), collective lists, and HTML tables with rowspan/colspan."""

import io
import re

import pytest

from core.regions import region
from loaders.departments import Resolver
from loaders.extract import extract_bytes
from loaders.html import html_to_text
from loaders.read import read_bytes
from loaders.units import split_units


def _resolved(reg: str, written: str) -> list[tuple[str, str]]:
    return [(r.name, r.kind) for r in Resolver(region(reg)).resolve_list(split_units(written))]


def test_areas_share_the_suffix():
    assert split_units("省发展改革、工业和信息化部门") == ["省发展改革部门", "工业和信息化部门"]
    assert _resolved("江西省", "省发展改革、工业和信息化部门") == [
        ("江西省发展和改革委员会", ""), ("江西省工业和信息化厅", "")]
    assert _resolved("淮北市", "市科技、财政部门") == [("淮北市科学技术局", ""), ("淮北市财政局", "")]
    assert _resolved("江西省", "商务、农业农村、国资、交通运输等相关部门") == [
        ("江西省商务厅", ""), ("江西省农业农村厅", ""), ("江西省国有资产监督管理委员会", ""), ("江西省交通运输厅", "")]


def test_national_document_keeps_provincial_departments_as_groups():
    assert _resolved("全国", "省级科技、财政部门") == [("各省级科技部门", "group"), ("各省级财政部门", "group")]
    assert _resolved("全国", "省级科技主管部门") == [("各省级科技部门", "group")]


def test_collective_lists_stay_whole():
    assert split_units("市、县(区)人民政府") == ["市、县(区)人民政府"]
    assert _resolved("江西省", "市、县(区)人民政府") == _resolved("江西省", "各市、县(区)人民政府")
    assert _resolved("江西省", "市、县(区)人民政府")[0][1] == "group"
    # Named departments before 等…部门 are not areas: nothing is rewritten.
    assert split_units("省商务厅、省国资委等省直有关部门") == ["省商务厅", "省国资委"]


_TABLE = """<html><body><div id="zoom">
<p>江西省科学技术厅关于印发科技成果转化重点任务分工表的通知</p>
<p>各设区市科技局:现将科技成果转化重点任务分工表印发给你们,请认真贯彻落实。{pad}</p>
<table>
<tr><th>序号</th><th>工作措施</th><th>牵头单位</th><th>配合单位</th></tr>
<tr><td colspan="4">一、加强组织领导</td></tr>
<tr><td>1</td><td>建立科技成果转化工作联席会议制度。</td><td rowspan="3">省科技厅</td><td>省财政厅</td></tr>
<tr><td>2</td><td>完善科技成果评价机制。</td><td>省教育厅</td></tr>
<tr><td>3</td><td>开展科技成果转化年度报告工作。</td><td rowspan="2">省统计局</td></tr>
<tr><td>4</td><td>加大对科技型企业的金融支持。</td><td>省地方金融监管局</td></tr>
</table>
<p>江西省科学技术厅</p><p>2020年5月6日</p>
</div></body></html>""".replace("{pad}", "为推动科技成果转化,特制定本分工表。" * 12)


def test_rowspan_fills_down_and_colspan_row_stays_one_cell():
    body = html_to_text(_TABLE).body
    assert "| 2 | 完善科技成果评价机制。 | 省科技厅 | 省教育厅 |" in body
    assert "| 4 | 加大对科技型企业的金融支持。 | 省地方金融监管局 | 省统计局 |" in body
    assert "| 一、加强组织领导 |" in body


def test_rowspan_table_rows_become_measures():
    ex = extract_bytes(_TABLE.encode(), "table.html")
    got = [(m.text, [u.name for u in m.lead], [u.name for u in m.support]) for m in ex.measures]
    assert got == [
        ("建立科技成果转化工作联席会议制度。", ["江西省科学技术厅"], ["江西省财政厅"]),
        ("完善科技成果评价机制。", ["江西省科学技术厅"], ["江西省教育厅"]),
        ("开展科技成果转化年度报告工作。", ["江西省科学技术厅"], ["江西省统计局"]),
        ("加大对科技型企业的金融支持。", ["江西省地方金融监督管理局"], ["江西省统计局"]),
    ]


def test_layout_table_around_a_table_keeps_inner_rows():
    markup = ("<html><body><table><tr><td><table><tr><td>发文机关:</td><td>国务院</td></tr></table>"
              "</td></tr></table></body></html>")
    assert "| 发文机关: | 国务院 |" in html_to_text(markup).page


_ROWS = [("1", "建立科技成果转化工作联席会议制度。", "省科技厅", "省财政厅"),
         ("2", "完善科技成果评价机制。", "省科技厅", "省教育厅"),
         ("3", "开展科技成果转化年度报告工作。", "省科技厅", "省统计局"),
         ("4", "加大对科技型企业的金融支持。", "省地方金融监管局", "省统计局")]


def _measures(data: bytes, name: str) -> list[tuple[str, list[str], list[str]]]:
    ex = extract_bytes(data, name)
    return [(m.text, [u.name for u in m.lead], [u.name for u in m.support]) for m in ex.measures]


def test_markdown_table_without_outer_pipes_reads_like_the_html_table():
    # html2text and many editors write GFM tables without the outer pipes; a colspan row has no pipe at all.
    intro = re.sub(r"<[^>]+>", "", _TABLE.split("<table>")[0].replace("</p>", "\n\n"))
    rows = "\n".join(" | ".join(r) for r in _ROWS)
    table = f"序号 | 工作措施 | 牵头单位 | 配合单位\n---|---|---|---\n一、加强组织领导\n{rows}\n"
    md = f"{intro}\n{table}\n江西省科学技术厅\n"
    assert _measures(md.encode(), "plan.md") == _measures(_TABLE.encode(), "table.html")


def test_docx_merged_cells_read_like_html_rowspan_and_colspan():
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    for line in _TABLE.split("<table>")[0].replace("</p>", "\n").split("\n"):
        text = re.sub(r"<[^>]+>", "", line).strip()
        if text:
            doc.add_paragraph(text)
    table = doc.add_table(rows=6, cols=4)
    for c, name in enumerate(("序号", "工作措施", "牵头单位", "配合单位")):
        table.cell(0, c).text = name
    table.cell(1, 0).merge(table.cell(1, 3)).text = "一、加强组织领导"
    for r, row in enumerate(_ROWS, 2):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 2).merge(table.cell(4, 2)).text = "省科技厅"  # rowspan 3, as in the HTML
    table.cell(4, 3).merge(table.cell(5, 3)).text = "省统计局"
    buf = io.BytesIO()
    doc.save(buf)
    assert "| 一、加强组织领导 |" in read_bytes(buf.getvalue(), "plan.docx").text
    assert _measures(buf.getvalue(), "plan.docx") == _measures(_TABLE.encode(), "table.html")
