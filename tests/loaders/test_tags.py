"""Agency tag layouts → lead / support units."""

import pytest

from core.text import match_text
from loaders.measures import find_measures


def _units(text: str) -> list[tuple[list[str], list[str]]]:
    match = match_text(text)
    return [([u.mention for u in m.lead], [u.mention for u in m.support]) for m in find_measures(match)]


@pytest.mark.parametrize(
    ("text", "lead", "support"),
    [
        ("推进建设。（牵头单位：市科技局，配合单位：市财政局、市教育局等）",
         ["市科技局"], ["市财政局", "市教育局"]),
        ("推进建设。(牵头单位:市科技局,市投资促进中心,配合单位:各县区人民政府)",
         ["市科技局", "市投资促进中心"], ["各县区人民政府"]),
        ("推进建设。（责任单位：省科技厅、省财政厅；完成时限：2024年底）", ["省科技厅"], ["省财政厅"]),
        ("推进建设。（牵头部门：省发展改革委；责任部门：省财政厅）", ["省发展改革委"], ["省财政厅"]),
        ("推进建设。（主办单位：市商务局；协办单位：市财政局）", ["市商务局"], ["市财政局"]),
        ("推进建设。（市科技局牵头，市财政局、市教育局配合）", ["市科技局"], ["市财政局", "市教育局"]),
        ("推进建设。（市科技局负责，市财政局配合）", ["市科技局"], ["市财政局"]),
        ("推进建设。（由市科技局牵头，会同市财政局）", ["市科技局"], ["市财政局"]),
        ("推进建设。（科技部会同有关部门负责）", ["科技部"], []),
        ("推进建设。（农业农村部、工业和信息化部牵头负责）", ["农业农村部", "工业和信息化部"], []),
        ("推进建设。（体育总局、网信办、科技部、工业和信息化部负责）",
         ["体育总局"], ["网信办", "科技部", "工业和信息化部"]),
        ("推进建设。（市场监管总局、商务部等负责）", ["市场监管总局"], ["商务部"]),
        ("推进建设。（国家发展改革委牵头，国务院相关部门及各地区按职责分工负责）",
         ["国家发展改革委"], ["国务院相关部门", "各地区"]),
        ("推进建设。（省发展改革委、省商务厅按职责分工负责，列第一的为牵头单位，下同）",
         ["省发展改革委"], ["省商务厅"]),
        ("推进建设。（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）",
         ["税务总局"], ["财政部", "海关总署"]),
        ("推进建设。（工业和信息化部、发展改革委等负责。列第一位者为牵头单位，下同）",
         ["工业和信息化部"], ["发展改革委"]),
        ("推进建设。（人行南昌中心支行、省发展改革委按职责分工牵头，省农业农村厅、省商务厅等省直有关部门配合）",
         ["人行南昌中心支行", "省发展改革委"], ["省农业农村厅", "省商务厅"]),
        ("推进建设。（省金融监管局、省财政厅和各市、县〔区〕人民政府负责）",
         ["省金融监管局"], ["省财政厅", "各市、县(区)人民政府"]),
    ],
)
def test_layouts(text, lead, support):
    assert _units(text) == [(lead, support)]


def test_nested_parentheses_kept_whole():
    text = "推进建设。(责任单位:省科技厅,各市、县(市、区);整改时限:2020年12月底前)"
    assert _units(text) == [(["省科技厅"], ["各市、县(市、区)"])]


def test_both_punctuation_widths_agree():
    full = "推进建设。（牵头单位：市科技局，配合单位：市财政局）"
    half = "推进建设。(牵头单位:市科技局,配合单位:市财政局)"
    assert _units(full) == _units(half) == [(["市科技局"], ["市财政局"])]


def test_parenthesis_without_units_is_not_a_tag():
    assert _units("推进质量基础设施(NQI)建设,设立示范区(以下简称“示范区”)。") == []


def test_prose_outside_parentheses():
    text = "1.实行名单制管理,由省发展改革委牵头,会同省商务厅、省财政厅,确定名单。"
    assert _units(text) == [(["省发展改革委"], ["省商务厅", "省财政厅"])]


def test_several_measures_in_one_paragraph_split_at_tags():
    text = "完善创新包容机制。指导编制清单。(牵头单位:市科技局)建立包容机制。(牵头单位:市审计局)"
    match = match_text(text)
    measures = find_measures(match)
    assert [match[m.start:m.end] for m in measures] == ["指导编制清单。", "建立包容机制。"]
    assert all(match[m.title[0]:m.title[1]] == "完善创新包容机制" for m in measures)


def test_html_split_tag():
    from loaders.extract import extract_bytes

    html = ("<html><body><div id='zoom'><p>一、积极发展流通新业态。推广网络消费新模式。"
            "<span><strong>（省发展改革委、省商务厅按职责</strong>"
            "<strong>分工负责，列第一的为牵头单位，下同）</strong></span>"
            "推动跨界融合。<span><strong>（省商务厅、省体育局</strong>\n<strong>按职责分工负责）</strong></span></p>"
            + "<p>其他内容。</p>" * 30 + "</div></body></html>")
    ex = extract_bytes(html.encode(), "page.txt")
    got = [([u.mention for u in m.lead], [u.mention for u in m.support]) for m in ex.measures]
    assert got == [(["省发展改革委"], ["省商务厅"]), (["省商务厅"], ["省体育局"])]


def test_sql_escaped_html():
    from loaders.extract import extract_bytes

    html = ('<p align=\\"left\\" style=\\"x\\">推进建设。<span class=\\"a\\">（科技部负责）</span></p>'
            '<p align=\\"left\\">下一段</p><br/>')
    ex = extract_bytes(html.encode(), "dump.txt")
    assert "align" not in ex.document.text
    assert [u.mention for u in ex.measures[0].lead] == ["科技部"]


def test_markdown_task_table():
    from loaders.extract import extract_bytes

    md = ("---\ntitle: 重点任务分工表\ndate: 2024-03-01\n---\n"
          "| 序号 | 重点任务 | 工作措施 | 完成时限 | 牵头部门 | 配合单位 |\n|---|---|---|---|---|---|\n"
          "| 1 | 建设中试基地 | 支持企业建设中试基地。 | 2024年6月底前 | 市科技局 "
          "| 市财政局、市发展改革委 |\n")
    ex = extract_bytes(md.encode(), "tasks.md")
    (m,) = ex.measures
    assert (m.title, m.text, m.deadline) == ("建设中试基地", "支持企业建设中试基地。", "2024-06")
    assert [u.mention for u in m.lead] == ["市科技局"]
    assert [u.mention for u in m.support] == ["市财政局", "市发展改革委"]
    assert ex.document.title == "重点任务分工表" and ex.document.date == "2024-03-01"
