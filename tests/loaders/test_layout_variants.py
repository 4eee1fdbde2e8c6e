"""Everyday layouts written the way city plans write them, read through the real CLI (`loaders extract`).

Each item of the plan below assigns its work in a different wording: a unit list on its own line, a
responsibility line whose value says the roles (`市科技局牵头,…配合`), a bracket with 按职责分工负责, labels with
a deadline, 由…负责,会同…, and a subject with 会同. A signature block and an addressee line assign nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _measures(path: Path, text: str) -> list[dict]:
    """Write `text` to `path` and return its measures as `python -m loaders extract` prints them."""
    path.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "loaders", "extract", str(path)], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.splitlines()[0])["measures"]


PLAN = """某某市人民政府办公室关于印发某某市科技创新行动方案的通知

各县（区）人民政府，市政府各部门：
现将《某某市科技创新行动方案》印发给你们，请认真贯彻执行。

一、重点任务

1.建设中试基地。围绕主导产业布局建设一批中试基地，提升成果转化效率。
市科技局、市工信局、市财政局

2.培育科技型企业。实施科技型中小企业梯度培育计划，到2025年科技型中小企业达到500家。
责任单位：市科技局牵头，市发展改革委、市市场监管局配合

3.强化人才支撑。落实人才引进政策，完善人才服务保障体系。（市委组织部、市人社局按职责分工负责）

4.加大金融支持。推动设立科技创新基金，引导社会资本投向科技领域。牵头单位：市财政局；配合单位：市金融办、人行某某中心支行；完成时限：2024年12月底前

5.优化创新生态。由市科协负责，会同市科技局举办创新创业大赛，营造良好氛围。

6.深化开放合作。市商务局要会同市外办加强国际科技合作，推动建设国际合作平台。

某某市人民政府办公室
2023年5月6日
"""

EXPECTED = [  # (last words of the measure, lead, support)
    ("提升成果转化效率。", ["市科技局"], ["市工信局", "市财政局"]),
    ("达到500家。", ["市科技局"], ["市发展改革委", "市市场监管局"]),
    ("人才服务保障体系。", ["市委组织部"], ["市人社局"]),
    ("投向科技领域。", ["市财政局"], ["市金融办", "人行某某中心支行"]),
    ("营造良好氛围。", ["市科协"], ["市科技局"]),
    ("国际合作平台。", ["市商务局"], ["市外办"]),
]


def test_six_wordings_of_an_assignment_and_no_signature(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "plan.txt", PLAN)
    got = [(m["text"], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
           for m in measures if m["lead"] or m["support"]]
    assert len(got) == len(EXPECTED), got
    for (text, lead, support), (end, want_lead, want_support) in zip(got, EXPECTED, strict=True):
        assert text.endswith(end) and lead == want_lead and support == want_support, (text, lead, support)
    assert measures[-1]["deadline"] is None and any(m["deadline"] == "2024-12" for m in measures)


NOTICE = """国务院办公厅关于推进科技成果转化的若干意见

三、重点任务

（一）完善成果转化激励机制。健全职务科技成果赋权制度，扩大高校院所自主权。国家发展改革委、科技部等部门按职责分工负责。

（二）强化金融支持。科技部会同财政部、人民银行制定科技金融支持政策。各地区、各有关部门要加大支持力度。

（三）优化服务体系。培育技术经理人队伍。教育部、人力资源社会保障部负责。

（四）推动区域协同。支持京津冀、长三角建设成果转化示范区。由国家发展改革委牵头，科技部、财政部参与。
"""


def test_closing_sentences_name_who_does_the_item(tmp_path: Path) -> None:
    """`A、B等部门按职责分工负责。` / `A、B负责。` closing an item are its assignment; the work is the item."""
    measures = [m for m in _measures(tmp_path / "notice.txt", NOTICE) if m["lead"] or m["support"]]
    def roles(words: str) -> tuple[list[str], list[str]]:
        m = next(m for m in measures if words in m["text"])
        return [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]

    assert roles("健全职务科技成果赋权制度") == (["国家发展改革委"], ["科技部"])
    assert roles("培育技术经理人队伍") == (["教育部"], ["人力资源社会保障部"])
    assert roles("制定科技金融支持政策") == (["科技部"], ["财政部", "人民银行"])
    assert roles("建设成果转化示范区") == (["国家发展改革委"], ["科技部", "财政部"])
    assert len(measures) == 4


def test_a_task_table_pasted_as_tab_separated_text(tmp_path: Path) -> None:
    """A table copied out of Word or Excel into plain text keeps its cells apart with tabs."""
    measures = _measures(
        tmp_path / "table.txt",
        "某某市科学技术局关于印发2024年科技工作要点任务分工的通知\n\n"
                    "序号\t工作任务\t牵头单位\t配合单位\t完成时限\n"
                    "1\t实施关键核心技术攻关项目20项\t市科技局\t市发展改革委、市工信局\t2024年12月\n"
                    "2\t新建省级以上创新平台10家\t市科技局\t各县区人民政府\t2024年10月\n")
    assert [(m["text"], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]], m["deadline"])
            for m in measures] == [
        ("实施关键核心技术攻关项目20项", ["市科技局"], ["市发展改革委", "市工信局"], "2024-12"),
        ("新建省级以上创新平台10家", ["市科技局"], ["各县区人民政府"], "2024-10")]


def test_a_markdown_table_with_bold_headers_and_line_breaks_in_cells(tmp_path: Path) -> None:
    """Converters write `**序号**` headers, alignment rows and `<br>` inside cells (two names, one cell)."""
    measures = _measures(
        tmp_path / "list.md",
        "# 某某区人民政府办公室关于印发某某区数字政府建设工作任务清单的通知\n\n"
                    "| **序号** | **任务内容** | **责任单位** | **完成时间** |\n|:---:|---|---|:---:|\n"
                    "| 1 | 推进政务数据共享交换 | 区大数据中心（牵头）<br>区各有关部门 | 2024年6月底 |\n"
                    "| 2 | 建设一网统管平台 | 区城运中心<br/>区公安分局、区应急局 | 2024年12月底 |\n")
    assert [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]], m["deadline"])
            for m in measures] == [(["区大数据中心"], ["区各有关部门"], "2024-06"),
                                   (["区城运中心"], ["区公安分局", "区应急局"], "2024-12")]


def test_a_tag_broken_by_a_pdf_page_footer(tmp_path: Path) -> None:
    """PDF text: a tag wraps inside a word (责任单\\n位) and over a page footer (— 5 —) between blank lines."""
    measures = _measures(
        tmp_path / "pdf.txt",
        "某某市人民政府关于印发某某市促进科技成果转化若干措施的通知\n\n一、支持中试熟化。对新建的中试基地给予"
                    "最高500万元补\n助，支持企业开展中试验证服务。（责任单位：市科技局、\n\n— 5 —\n\n市财政局）\n"
                    "二、支持技术交易。对技术合同登记金额给予奖励。（责任单\n位：市科技局）\n")
    assert [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures] == [
        (["市科技局"], ["市财政局"]), (["市科技局"], [])]
    assert "— 5 —" not in measures[0]["text"] and measures[0]["text"].endswith("中试验证服务。")


def test_titles_of_documents_without_a_heading_line(tmp_path: Path) -> None:
    """No title line: the policy the opening says it issues, or what `现就…提出如下意见` says it is about —
    never a policy the document only cites (为贯彻落实《…》)."""
    cases = {
        "opinion.txt": ("各县（区）人民政府，市直各单位：\n为贯彻落实《安徽省人民政府关于加快推进科技创新的若干意见》，"
                        "现就我市科技创新工作提出如下意见。\n一、加强平台建设。建设一批创新平台。（市科技局）\n\n"
                        "某某市人民政府\n2023年6月8日\n", "某某市人民政府关于我市科技创新工作的意见"),
        "news.txt": ("据悉，为进一步加强科技创新，市政府近日出台《某某市支持科技创新若干政策》。\n"
                     "一、支持研发投入。（市科技局、市财政局）\n", "某某市支持科技创新若干政策"),
    }
    for name, (text, _title) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "loaders", "extract", *(str(tmp_path / n) for n in cases)],
                         capture_output=True, text=True, check=True).stdout
    docs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert [d["document"]["title"] for d in docs] == [t for _, t in cases.values()]
    assert all(any("no title line" in w for w in d["warnings"]) for d in docs)


def test_a_responsibility_line_under_a_heading_assigns_the_items_below(tmp_path: Path) -> None:
    """`一、…` / `牵头单位:A;责任单位:B` / `1.…` `2.…`: each item is a measure of A with B, up to the next heading."""
    measures = _measures(
        tmp_path / "plan.txt",
        "某某市人民政府办公室关于印发某某市营商环境优化提升行动方案的通知\n\n一、提升政务服务效能\n"
                    "牵头单位：市政务服务管理局；责任单位：各县（市、区）人民政府\n"
                    "1.全面推行“一网通办”，2024年底前政务服务事项网上可办率达到95%。\n"
                    "2.深化“一件事一次办”改革，新增高频事项20项。\n\n二、优化法治环境\n牵头单位：市司法局\n"
                    "3.开展涉企执法专项监督。\n4.推行包容审慎监管。\n")
    assert [(m["text"][:6], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
            for m in measures] == [
        ("全面推行“一", ["市政务服务管理局"], ["各县（市、区）人民政府"]),
        ("深化“一件事", ["市政务服务管理局"], ["各县（市、区）人民政府"]),
        ("开展涉企执法", ["市司法局"], []), ("推行包容审慎", ["市司法局"], [])]
    assert measures[0]["deadline"] == "2024-12"


def test_a_tag_on_its_own_block_after_a_blank_line(tmp_path: Path) -> None:
    """Markdown scrapes write the tag as a block of its own, after a blank line; the signature after 特此通知
    (two issuers on one line, then a date) is no assignment."""
    measures = _measures(tmp_path / "scrape.txt", (
                    "关于印发《某某区可再生能源发展行动方案》的通知\n\n各有关单位：\n现将方案印发给你们。\n\n特此通知。\n\n"
                    "某某区发展和改革委员会某某区建设和管理委员会\n\n2025年2月24日\n\n（一）全面实施光伏专项工程\n\n"
                    "结合空间资源，分行业推进光伏建设。\n\n（责任单位：区发展改革委、区建管委）\n\n"
                    "（二）开展新建建筑光伏项目建设工程\n\n落实新建建筑屋顶安装光伏比例要求。\n\n（责任单位：区建管委）\n"))
    assert [(m["text"], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
            for m in measures] == [("结合空间资源，分行业推进光伏建设。", ["区发展改革委"], ["区建管委"]),
                                   ("落实新建建筑屋顶安装光伏比例要求。", ["区建管委"], [])]


def test_a_pasted_task_table_whose_rows_restart_their_numbering(tmp_path: Path) -> None:
    """A table copied out of a word processor, one cell per block: the `序号` column holds `—` on group rows and
    `(一)`, `(二)` restarting under each group, so rows are closed by their unit cells — lead then supporting
    column, `——` for an empty cell, a unit name wrapped over two lines (`区土方工作` / `专班`)."""
    cells = ["序号", "工作任务", "主要工作内容", "牵头单位", "配合单位",
             "—", "构建产消平衡的处置体系",
             "（一）", "推动源头减量", "在项目规划中增加工程土方消纳平衡内容。", "区建设管理委", "区水务局、区房管局",
             "（二）", "提升消纳处置能力", "梳理评估本区出土项目。", "区土方工作\n专班", "区绿化市容局、属地街镇",
             "二", "构建全链条闭环管理体系",
             "（一）", "加强源头监管", "加强拆房工地监督管理。", "区房管局", "——",
             "加强装修垃圾监督管理。", "区绿化市容局", "区城管执法局、属地街镇"]
    measures = _measures(tmp_path / "table.txt", "某某区建筑垃圾管理任务职责分工表\n\n" + "\n\n".join(cells) + "\n")
    assert [(m["text"], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
            for m in measures] == [
        ("在项目规划中增加工程土方消纳平衡内容。", ["区建设管理委"], ["区水务局", "区房管局"]),
        ("梳理评估本区出土项目。", ["区土方工作专班"], ["区绿化市容局", "属地街镇"]),
        ("加强拆房工地监督管理。", ["区房管局"], []),
        ("加强装修垃圾监督管理。", ["区绿化市容局"], ["区城管执法局", "属地街镇"])]


def test_a_topic_word_glued_before_the_unit_is_not_part_of_its_name(tmp_path: Path) -> None:
    """`(1)河道区水务局负责…`: the document writes 区水务局 alone elsewhere and 河道 without 区, so the unit is
    区水务局; 黄浦区 is a place the document names on its own, so 黄浦区水务局 keeps its name."""
    measures = _measures(tmp_path / "duties.txt", (
        "黄浦区人民政府关于消纳场所备案的实施意见\n\n一、职责分工\n\n（1）河道区水务局负责核实填埋河道是否办理相关填河手续。\n\n"
        "（2）黄浦区水务局负责做好坑塘水面保护核实工作。\n\n（3）区水务局负责河道疏浚监督管理。\n\n"
        "二、保障措施\n\n黄浦区各部门要加强河道巡查。\n"))
    leads = [[u["mention"] for u in m["lead"]] for m in measures if m["lead"]]
    assert leads[:3] == [["区水务局"], ["黄浦区水务局"], ["区水务局"]]


def test_areas_of_work_sharing_one_department_word(tmp_path: Path) -> None:
    """`城市管理综合执法、公安、交通、海事等部门要…` / `会同城管执法、交通等部门`: each area is a department, named as
    the document writes it; the sentence is its own measure, not more partners of the sentence before."""
    measures = _measures(tmp_path / "opinion.txt", (
        "某某市人民政府办公厅关于全面加强建筑垃圾管理的实施意见\n\n一、加强运输监管\n\n"
        "（一）加强运输车船监管。绿化市容部门要完善建筑垃圾运输管理制度，督促运输单位加强车船管理。"
        "城市管理综合执法、公安、交通、海事等部门要强化对建筑垃圾运输车船的监督检查和执法。\n\n"
        "（二）打击非法运输。公安部门要会同城管执法、交通等部门开展打击“黑车”专项整治行动。\n"))
    assert [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures] == [
        (["绿化市容部门"], []), (["城市管理综合执法"], ["公安", "交通", "海事"]), (["公安部门"], ["城管执法", "交通"])]


def test_a_pasted_task_table_with_one_unit_per_line(tmp_path: Path) -> None:
    """One cell per line: a long supporting column, one unit per line, with names the recogniser does not know
    (中远海运, 试点堆场) and another name on its own line (`市商务委` / `（市口岸办）`); the next row's number comes
    late. A bare word closing a row with no deadline column after it (`市场准入`) is the next rows' group label."""
    rows = ["推进任务分解表", "序号", "工作事项", "主要内容", "牵头部门", "配合部门", "进度计划",
            "1", "一单制运行", "扩大多式联运“一单制”的应用范围；", "开展电子提单流转的金融服务综合应用试点。",
            "市交通委", "市商务委", "（市口岸办）", "铁路上海局集团", "上海海关", "市金融监管局", "中远海运",
            "上港集团", "海铁联运公司", "中集上海公司", "东方丝路公司", "交通银行", "建设银行", "亿通国际",
            "三季度：完成试点", "四季度：扩大应用范围",
            "2", "一体化赋能", "启动实施港外堆场备案和数字化监管。", "市交通委", "市道路运输局", "试点堆场",
            "四季度：基本完成"]
    plan = "\n".join(rows) + "\n\n序号\n改革领域\n改革事项\n落实推进单位\n1\n推行名称申报承诺制。\n" \
        "区市场监管局\n市场准入\n2\n扩大住所标准化登记覆盖范围。\n区市场监管局\n"
    measures = _measures(tmp_path / "table.txt", "某某市集运工作方案\n\n" + plan)
    got = [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures]
    assert got == [
        (["市交通委"], ["市商务委(市口岸办)", "铁路上海局集团", "上海海关", "市金融监管局", "中远海运", "上港集团",
                      "海铁联运公司", "中集上海公司", "东方丝路公司", "交通银行", "建设银行", "亿通国际"]),
        (["市交通委"], ["市道路运输局", "试点堆场"]), (["区市场监管局"], []), (["区市场监管局"], [])]


def test_listed_provincial_companies_act_by_a_date(tmp_path: Path) -> None:
    """An enterprise plan: `山东、浙江公司试点开展…` names two provincial companies (one unit as written), and
    `国网客服中心6月底前完成…` acts by a date written before its verb."""
    measures = _measures(tmp_path / "plan.txt", (
        "国家电网有限公司关于印发2021年营销大数据安全工作要点的通知\n\n一、重点任务\n\n"
        "1.推进采集终端安全接入。山东、浙江公司试点开展工型网关隔离设备的全面部署应用，提升采集终端安全接入水平。\n\n"
        "2.开展投诉数据分析。国网客服中心6月底前完成数据梳理，按季度形成专项分析报告。\n"))
    assert [[u["mention"] for u in m["lead"]] for m in measures] == [["山东、浙江公司"], ["国网客服中心"]]


def test_prose_after_a_pasted_table_and_a_page_number_are_not_rows_or_units(tmp_path: Path) -> None:
    """After the last row of a table pasted one cell per line, short prose lines (加强组织领导) are not more
    supporting units, and a page number far below (3) starts no row."""
    cells = ["序号", "重点任务", "牵头单位", "配合单位", "1", "完善职业教育政策体系。", "市教育局", "市人社局",
             "2", "建设产教融合实训基地。", "市教育局", "市发展改革委",
             "加强组织领导", "强化督促检查", "各单位要高度重视，明确责任分工，确保各项任务落到实处。",
             "各县区要结合实际制定具体措施。", "市直有关部门要加强协调配合。", "要定期通报工作进展情况。",
             "要及时总结推广典型经验。", "要加强宣传引导。", "要营造良好氛围。", "要加强经费保障。",
             "要加强队伍建设。", "要加强考核评估。", "要加强信息报送。", "要加强督查问责。", "要完善激励机制。",
             "要健全长效机制。", "要强化责任落实。", "3", "某某市教育局办公室", "2024年3月1日印发"]
    measures = _measures(tmp_path / "table.txt", "某某市职业教育提质行动方案\n\n" + "\n".join(cells) + "\n")
    rows = [(m["text"], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
            for m in measures if m["text"].startswith(("完善职业", "建设产教"))]
    assert rows == [("完善职业教育政策体系。", ["市教育局"], ["市人社局"]),
                    ("建设产教融合实训基地。", ["市教育局"], ["市发展改革委"])]


def test_a_district_named_in_a_list_keeps_its_name(tmp_path: Path) -> None:
    """`、黄浦区水务局` in a city plan that also says 黄浦江 and 区水务局: a district, not a topic before a unit."""
    measures = _measures(tmp_path / "plan.txt", (
        "上海市水务局关于加强黄浦江沿岸防汛的通知\n\n一、重点任务\n\n"
        "1.加强黄浦江堤防巡查。（责任单位：市水务局、黄浦区水务局）\n\n"
        "2.开展排水设施检查。（责任单位：区水务局）\n"))
    assert [[u["mention"] for u in m["lead"] + m["support"]] for m in measures] == [
        ["市水务局", "黄浦区水务局"], ["区水务局"]]


# An assessment table as county web pages publish them: the header names no unit column (the department
# assessed sits in the second half of a merged 考核项目 header), the work is the longest column, and a
# group row (二、) spans the table.
ASSESSMENT = """<html><head><meta charset="utf-8"><title>考核细则</title></head><body>
<table border="1"><caption>某某县2018年度生态保护工作责任单位考核细则</caption>
<tr><th>序号</th><th colspan="2">考核项目</th><th>分值</th><th>考核内容</th><th>评分标准</th></tr>
<tr><td>一、</td><td colspan="2">通用考核项目（全部责任单位）</td><td>40</td><td></td><td></td></tr>
<tr><td>1</td><td colspan="2">组织领导</td><td>8</td><td>组织领导</td><td>积极配合各乡镇开展保护工作（8分）。</td></tr>
<tr><td>二、</td><td colspan="2">部门履职差异考核项目</td><td>60</td><td></td><td></td></tr>
<tr><td>1</td><td>重点考核部门</td><td>县农粮局</td><td>30</td><td>畜禽养殖污染控制</td>
<td>1.建立畜禽养殖污染台账（10分）；2.指导养殖场配套建设粪污处理利用设施（20分）。</td></tr>
<tr><td>2</td><td>重点考核部门</td><td>县水利局</td><td>30</td><td>河湖岸线整治</td>
<td>清查非法挤占水域岸线用地，建立台账并督促整改到位（30分）。</td></tr>
<tr><td>3</td><td>重点考核部门</td><td>县环保局 县水文站</td><td>60</td><td>水源保护</td>
<td>依法清理饮用水水源保护区内违法建筑和排污口（60分）。</td></tr>
</table></body></html>
"""

MEMBERS = """<html><head><meta charset="utf-8"><title>名单</title></head><body>
<p>某某县生态保护工作领导小组成员名单</p>
<table border="1"><tr><th>序号</th><th>单位</th><th>职务</th></tr>
<tr><td>1</td><td>县农粮局</td><td>局长</td></tr><tr><td>2</td><td>县水利局</td><td>局长</td></tr>
<tr><td>3</td><td>县环保局</td><td>局长</td></tr><tr><td>4</td><td>县林业局</td><td>局长</td></tr>
</table></body></html>
"""


def test_a_table_whose_header_names_no_unit_column_is_read_by_its_unit_column(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "assessment.html", ASSESSMENT)
    got = [("".join(m["text"].split()), [u["mention"] for u in m["lead"]],
            [u["mention"] for u in m["support"]]) for m in measures]
    assert [(text.endswith(end), lead, support) for (text, lead, support), end in zip(got, (
        "1.建立畜禽养殖污染台账（10分）；2.指导养殖场配套建设粪污处理利用设施（20分）。",
        "清查非法挤占水域岸线用地，建立台账并督促整改到位（30分）。",
        "依法清理饮用水水源保护区内违法建筑和排污口（60分）。"), strict=False)] == [
        (True, ["县农粮局"], []), (True, ["县水利局"], []), (True, ["县环保局"], ["县水文站"])], got
    assert len(got) == 3, got


def test_a_member_list_table_assigns_nothing(tmp_path: Path) -> None:
    assert _measures(tmp_path / "members.html", MEMBERS) == []


TITLED = """某某县河长制工作考核细则
| 序号 | 考核项目 | 分值 | 考核指标 | 负责考核部门 |
| 一、 | 巩固成果，提升工作实效 | 31 | | |
| 1 | 强化督查督办 | 4 | 严格执行督查制度和督办制度，对县级以上督导发现的问题实行台账管理，跟踪督办。 | 县河长办 |
| 2 | 完善考核方案 | 2 | 2018年7月底前修订完善乡镇河长制工作考核方案。 | 县河长办 |
| 二、 | 推进突出问题专项整治 | 45 | | |
| 3 | 城镇生活污水治理 | 3 | 进一步加强城镇生活污水处理设施和配套管网建设，提升污水处理率。 | 县城建局 |
"""


def test_a_unit_column_named_with_a_task_word_and_the_work_read_from_the_column_that_holds_it(
        tmp_path: Path) -> None:
    """负责考核部门 names the unit column (a role word, the task, a body word); the header names no task column,
    so the work is the column with the most text (考核指标), not the first named one; a group row (二、) takes
    no unit from the row above it."""
    measures = _measures(tmp_path / "titled.md", TITLED)
    got = [("".join(m["text"].split()), [u["mention"] for u in m["lead"]], m["deadline"]) for m in measures]
    assert got == [("严格执行督查制度和督办制度，对县级以上督导发现的问题实行台账管理，跟踪督办。", ["县河长办"], None),
                   ("2018年7月底前修订完善乡镇河长制工作考核方案。", ["县河长办"], "2018-07"),
                   ("进一步加强城镇生活污水处理设施和配套管网建设，提升污水处理率。", ["县城建局"], None)], got


# A task table as a crawler's page text keeps it: every cell separator lost, the header a run of column names,
# lead names glued where they stood on separate lines of one cell, a space where the lead cell was empty.
RUN_ON = ("标题: 某某区管委会办公室关于印发2023年重点任务分解表的通知 正文 当前位置：首页 "
          "某某区管委会办公室 2023年3月1日 附件2023年重点任务分解表工作任务工作要求牵头单位配合单位完成时限"
          "一、优化营商环境1.建立企业诉求快速响应机制，及时回应和解决“堵点”问题。"
          "区经济发展局区行政审批局区直各有关单位，各片区管理局2023年6月底前"
          "2.加大惠企政策公开力度，帮助企业第一时间了解政策。 区直各有关单位，各片区管理局2023年12月底前"
          "二、强化公共服务3.规范流调信息发布和管理，保护个人隐私。区社会事业局各片区管理局长期坚持 "
          "来源：某某区管委会办公室")


def test_a_table_whose_cells_ran_together_on_one_line(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "page.txt", RUN_ON)
    got = [("".join(m["text"].split()), [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]],
            m["deadline"]) for m in measures]
    assert got == [
        ("建立企业诉求快速响应机制，及时回应和解决“堵点”问题。", ["区经济发展局", "区行政审批局"],
         ["区直各有关单位", "各片区管理局"], "2023-06"),
        ("加大惠企政策公开力度，帮助企业第一时间了解政策。", ["区直各有关单位"], ["各片区管理局"], "2023-12"),
        ("规范流调信息发布和管理，保护个人隐私。", ["区社会事业局"], ["各片区管理局"], "长期坚持"),
    ], got


# The same, with numbers glued to the rows' first words and counting again from 1 in each group.
RUN_ON_GROUPS = ("附件：某某区改革任务一览表主线项目主要内容责任单位完成时限（一）合理配置医疗资源"
                 "1科学编制卫生事业发展规划①科学编制中长期卫生事业发展规划。②调整医疗机构设置规划。"
                 "医改办、社会事业局、经济发展局2015年6月2加快医疗资源建设加快协和医院建设，尽快投入使用。"
                 "社会事业局常年（二）深化医院管理制度改革1落实公立医院独立法人地位推进医院自主经营管理。"
                 "医改办、财政金融局2015年12月")


def test_a_run_together_table_with_glued_numbers_restarting_in_each_group(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "annex.txt", RUN_ON_GROUPS)
    got = [("".join(m["text"].split())[-10:], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]],
            m["deadline"]) for m in measures]
    assert got == [("整医疗机构设置规划。", ["医改办"], ["社会事业局", "经济发展局"], "2015-06"),
                   ("建设，尽快投入使用。", ["社会事业局"], [], "常年"),
                   ("进医院自主经营管理。", ["医改办"], ["财政金融局"], "2015-12")], got


# A duty table run together: the unit column before the duties, one row per unit.
RUN_ON_DUTIES = ("附件部门主要职责分工表序号部门主要职责分工1区交通建设局牵头开展结构安全排查整治，加强技术指导；"
                 "会同有关部门全面加强经营性自建房监管。2区行政审批局配合市场监管局推动将房屋安全鉴定作为办理经营许可的"
                 "前提条件；完善自建房确权登记管理制度。3区国资局负责区属国企名下的自建房安全管理。 相关文件：政策解读")


def test_a_run_together_duty_table_with_the_units_before_their_duties(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "duties.txt", RUN_ON_DUTIES)
    got = [("".join(m["text"].split())[-8:], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
           for m in measures]
    assert got == [("营性自建房监管。", ["区交通建设局"], []),
                   ("权登记管理制度。", ["区行政审批局"], ["市场监管局"]),
                   ("自建房安全管理。", ["区国资局"], [])], got


# A `责任分工:` line whose value is a chain of clauses, each with its own subject and role verb; places sharing
# one body (金井、澳前片区开发管理局); a working group `由A牵头,B、C等参加`.
DIVISION = ("某某区宜居环境建设行动方案\n"
            "（一）整治村庄。重点推进重要通道沿线的村庄整治建设。责任分工：区规划局负责开展规划编制工作，"
            "所在乡镇人民政府组织实施,区直有关责任部门配合,区交通与建设局业务检查指导并协助区规划局做好规划编制工作。"
            "（二）完善社区。打造设施完备、服务齐全的完整社区。责任分工：区规划局负责开展社区规划编制工作，"
            "金井、澳前片区开发管理局组织实施，嘉源公司作为业主单位，潭城镇人民政府全力配合。"
            "（三）治理小流域。提高小流域治理的综合效益。责任分工：竹屿湖二期项目由区交通投资有限公司负责实施，"
            "区直有关单位配合。（四）扩大城市片林。新建15公顷以上的城市片林。责任分工：按照城市片林规划要求，"
            "区森林园林局负责组织实施，区交通与建设局等区直部门配合。\n"
            "五、应急保障组。保障群众基本生活和市场供应（由区发展改革局牵头，区工业和信息化局、区民政局、区财政局等参加）。\n")


def test_a_division_of_work_written_as_clauses_each_with_its_own_subject(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "plan.txt", DIVISION)
    got = [("".join(m["text"].split())[-8:], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
           for m in measures]
    assert got == [
        ("的村庄整治建设。", ["区规划局"], ["所在乡镇人民政府", "区直有关责任部门", "区交通与建设局"]),
        ("齐全的完整社区。", ["区规划局"], ["金井、澳前片区开发管理局", "嘉源公司", "潭城镇人民政府"]),
        ("治理的综合效益。", ["区交通投资有限公司"], ["区直有关单位"]),
        ("以上的城市片林。", ["区森林园林局"], ["区交通与建设局"]),
        ("本生活和市场供应", ["区发展改革局"], ["区工业和信息化局", "区民政局", "区财政局"]),
    ], got


# A task table that also names, in columns of their own, the divisions inside one of the units: they do the
# work inside that unit and are no units of the assignment.
DIVISIONS_TABLE = ("<html><body><p>某某市家庭医生签约服务任务分工表</p><table>"
                   "<tr><td>序号</td><td>工作事项</td><td>主要内容</td><td>牵头单位</td><td>配合单位</td>"
                   "<td>市卫健委内牵头处室</td><td>市卫健委内配合处室</td></tr>"
                   "<tr><td>1</td><td>扩大家庭医生来源。</td><td>推动人才资源向基层医疗卫生机构倾斜。</td><td>各区政府</td>"
                   "<td>市卫生健康委、市人社局</td><td>人事处</td><td>基层处</td></tr>"
                   "<tr><td>2</td><td>保障合理用药。</td><td>落实基本药物目录管理等政策。</td><td>市医保局</td>"
                   "<td>市卫生健康委</td><td>药政处</td><td>医政处</td></tr></table></body></html>")


def test_columns_naming_divisions_inside_a_unit_are_not_units_of_the_assignment(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "table.html", DIVISIONS_TABLE)
    got = [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures]
    assert got == [(["各区政府"], ["市卫生健康委", "市人社局"]), (["市医保局"], ["市卫生健康委"])], got


# A duty section run together on one line: each item opens with its unit and goes on with the unit's duties,
# sub-items included; a partner after 会同 supports. Collectives of two levels (各市〔州〕、各县〔市、区〕人民政府)
# stay one unit; a task force may be named after its work.
UNIT_ITEMS = ("某某区儿童青少年近视防控实施方案 四、工作目标到2025年近视率明显下降。"
              "五、职责分工（一）区党群工作部按照国家、省部署落实完善学校校医职称评审政策。"
              "（二）区旅游与文化体育局增加适合儿童青少年户外活动的场地设施。会同区社会事业局组织开展青少年阳光体育比赛。"
              "（三）区社会事业局1.牵头负责儿童青少年近视防控工作。2.加强现有中小学卫生保健机构建设。"
              "3.组建专家队伍，科学指导近视防治工作。六、保障措施（一）加强宣传。营造良好社会氛围"
              "（责任单位：各市〔州〕、各县〔市、区〕人民政府，省推进项目建设联动协调机制工作专班）。\n")


def test_items_that_open_with_their_unit_give_it_the_whole_item(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "duties.txt", UNIT_ITEMS)
    got = [("".join(m["text"].split())[-8:], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
           for m in measures]
    assert got == [
        ("医职称评审政策。", ["区党群工作部"], []),
        ("年阳光体育比赛。", ["区旅游与文化体育局"], ["区社会事业局"]),
        ("导近视防治工作。", ["区社会事业局"], []),
        ("营造良好社会氛围", ["各市〔州〕、各县〔市、区〕人民政府"], ["省推进项目建设联动协调机制工作专班"]),
    ], got


# A run-together table whose unit cells stand between the task's name and its requirements, under a header with a
# spaced-out column name (`工 作 要 求`); sentence ends inside the requirements; an empty lead cell left a space.
RUN_ON_BETWEEN = ("某某区2018年政务公开工作主要任务分解表 工作任务牵头单位责任单位工 作 要 求"
                  "一、着力加强公开解读回应工作1.政府工作要做到公开透明 区直有关单位，各乡镇人民政府坚持以公开为常态。"
                  "2.做好权责清单调整和公开工作区行政审批局区直有关单位，各乡镇人民政府全面完成权责清单融合工作。"
                  "3.推动全面实施“双随机、一公开”监管区市场监管局、行政审批局区直有关单位，各乡镇人民政府要制定并公布"
                  "本部门随机抽查事项清单，及时公开抽查结果。4.推动网上办事服务事项标准化区行政审批局区直有关单位，"
                  "各乡镇人民政府立足于方便企业办事，推进办事指南标准化。\n")


def test_a_run_together_table_with_the_units_between_the_task_and_its_requirements(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "table.txt", RUN_ON_BETWEEN)
    got = [("".join(m["text"].split()), [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
           for m in measures]
    assert got == [
        ("1.政府工作要做到公开透明", ["区直有关单位"], ["各乡镇人民政府"]),
        ("2.做好权责清单调整和公开工作", ["区行政审批局"], ["区直有关单位", "各乡镇人民政府"]),
        ("3.推动全面实施“双随机、一公开”监管", ["区市场监管局", "行政审批局"], ["区直有关单位", "各乡镇人民政府"]),
        ("4.推动网上办事服务事项标准化", ["区行政审批局"], ["区直有关单位", "各乡镇人民政府"]),
    ], got


# Duties listed under a line that names their unit: one measure for the list. A members' list right after it,
# each item opening with its own unit, stays one measure per member.
DUTY_LISTS = ("国家粮食应急预案\n2.1.1 国家粮食应急工作指挥部职责\n"
              "（1）掌握粮食市场形势，向国务院提出启动应急措施的建议。\n"
              "（2）对省级人民政府开展粮食应急工作进行督查和指导。\n（3）完成国务院交办的其他事项。\n"
              "2.1.3 国家粮食应急工作指挥部成员单位职责\n（1）国家发展改革委负责应急工作的综合协调。\n"
              "（2）财政部负责安排应急粮食所需经费。\n")


def test_a_list_of_duties_under_the_line_that_names_its_unit(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "plan.txt", DUTY_LISTS)
    got = [("".join(m["text"].split())[-8:], [u["mention"] for u in m["lead"]]) for m in measures if m["lead"]]
    assert got == [("交办的其他事项。", ["国家粮食应急工作指挥部"]), ("工作的综合协调。", ["国家发展改革委"]),
                   ("急粮食所需经费。", ["财政部"])], got


# Tags in square brackets (exports that replaced 【】), and units whose other name stands in angle brackets.
SQUARE_TAGS = ("某某市支持建筑业发展若干措施\n一、支持企业晋升资质。"
               "对施工总承包资质晋升为一级的施工企业给予一次性奖励。"
               "[责任单位:市住建局、市财政局]\n二、支持企业拓展业务。对在市外拓展业务的建筑业企业给予奖励。"
               "(责任单位:市住建局〈市人防办〉、市税务局、各区县市人民政府〈管委会〉)\n")


def test_square_bracket_tags_and_other_names_in_angle_brackets(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "measures.txt", SQUARE_TAGS)
    got = [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures]
    assert got == [(["市住建局"], ["市财政局"]),
                   (["市住建局〈市人防办〉"], ["市税务局", "各区县市人民政府〈管委会〉"])], got


# Districts and counties named bare in a list of units are their governments (the county-level gazetteer), also
# two names of one administration joined by `·`; `根据各自职责分别组织实施` after the list is glue, not a name.
COUNTIES = ("荆门市促进房地产市场平稳健康发展若干措施\n一、开展专项清理行动。督促开发企业按合同约定开发建设。"
            "(责任单位:市自然资源局、市住建局,东宝区、荆门高新区·掇刀区、漳河新区)\n"
            "二、优化土地供应。科学安排国有建设用地供应。(责任单位:市资源规划局、东宝区根据各自职责分别组织实施)\n"
            "三、东宝区聚焦存量工业用地转型，全面提升效率。\n")


def test_districts_named_bare_in_a_unit_list_are_their_governments(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "measures.txt", COUNTIES)
    got = [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures
           if m["lead"] or m["support"]]
    assert got == [(["市自然资源局"], ["市住建局", "东宝区", "荆门高新区·掇刀区", "漳河新区"]),
                   (["市资源规划局"], ["东宝区"])], got


def test_units_a_lead_organises_to_do_the_work_support_it(tmp_path: Path) -> None:
    text = ("某某区自建房安全专项整治实施方案\n（一）开展督导评估。"
            "区领导小组办公室组织区交通建设局、区市场监管局开展督导，每季度开展不少于10天的指导检查。\n"
            "（二）完善政策。区住房保障房屋管理局负责研究制定区级配套政策，组织各街镇推进相关实施工作。\n")
    measures = _measures(tmp_path / "plan.txt", text)
    got = [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures]
    assert got == [(["区领导小组办公室"], ["区交通建设局", "区市场监管局"]),
                   (["区住房保障房屋管理局"], ["各街镇"])], got


def test_a_comma_clause_opening_with_its_own_unit_and_partner_is_its_own_measure(tmp_path: Path) -> None:
    text = ("某某区建筑垃圾治理工作方案\n各街镇、区政府各部门：\n为加强建筑垃圾管理，区绿化市容局会同有关部门制定了"
            "《某某区建筑垃圾治理工作方案》，现印发给你们，请认真组织实施。\n"
            "区房管局要督促施工单位做好拆房垃圾的现场分拣管理，区绿化市容局联合区房管局加强对街镇的指导，"
            "落实堆放场所规范管理要求。\n")
    measures = _measures(tmp_path / "plan.txt", text)
    got = [("".join(m["text"].split())[-8:], [u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]])
           for m in measures]
    assert got == [("的现场分拣管理，", ["区房管局"], []), ("所规范管理要求。", ["区绿化市容局"], ["区房管局"])], got
    assert not any("印发给你们" in m["text"] for m in measures if m["lead"]), got


# PDF text with every line break doubled: a tag wrapped inside a word, and one broken by a page's end (lines
# holding only spaces, the form feed already turned into a line break by the reader).
DOUBLE_SPACED = ("某某省开源体系建设实施意见\n\n1.建设开源组织。到2027年，打造高水平开源研究机构2家以上。"
                 "（责任单位：省经信厅、省发展改革\n\n \n  \n \n\x0c委、省科技厅）\n\n2.打造开源社区。"
                 "建设全国知名的开源社区3-4个。（责任单位：省经信厅、省市场监管局（省知\n\n识产权局））\n\n")


def test_tags_wrapped_over_blank_lines_of_a_pdf_text(tmp_path: Path) -> None:
    measures = _measures(tmp_path / "opinion.txt", DOUBLE_SPACED)
    got = [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures]
    # a mention read across a line break keeps the folded (half-width) brackets
    assert got == [(["省经信厅"], ["省发展改革委", "省科技厅"]), (["省经信厅"], ["省市场监管局(省知识产权局)"])], got


def test_a_topic_given_to_units_after_it_and_what_by_does_not_assign(tmp_path: Path) -> None:
    text = ("某某区公立医院综合改革实施方案\n"
            "（一）改革药品配送模式。配送具体办法由区市场监督管理局和社会事业局牵头制定。\n"
            "（二）健全组织架构。建立由区规划资源局、区农业农村委牵头，区财政局协同推进的组织架构。"
            "办公室主任由区交通建设局主要负责人兼任。\n")
    measures = _measures(tmp_path / "plan.txt", text)
    got = [([u["mention"] for u in m["lead"]], [u["mention"] for u in m["support"]]) for m in measures
           if m["lead"] or m["support"]]
    assert got == [(["区市场监督管理局", "社会事业局"], [])], got
