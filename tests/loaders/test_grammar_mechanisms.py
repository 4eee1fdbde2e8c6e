"""The general mechanisms, one layout at a time (real wordings from tests/corpus/real, shortened): the unit
recogniser, clause tags, labels with a word inside, tags wrapped over lines, flattened tables aligned by
content, sentences whose subject is a unit, duty lists. The whole corpus is scored in test_real_corpus."""

from __future__ import annotations

import pytest

from core.text import match_text
from loaders.measures import find_measures
from loaders.unitlex import COLLECTIVE, is_unit, unit_kind
from loaders.units import split_units


def _read(text: str) -> list[tuple[str, list[str], list[str]]]:
    match = match_text(text)
    return [(match[m.start:m.end], [u.mention for u in m.lead], [u.mention for u in m.support])
            for m in find_measures(match)]


@pytest.mark.parametrize("name", ["市水务局(海洋局)", "国网客服中心", "建设主管部门", "区“两旧”专班", "市安委会",
                                  "济南、青岛、烟台市政府", "市委人才工作领导小组成员单位", "人力资源和社会保障局"])
def test_unit_names_are_recognised_by_their_structure(name):
    assert is_unit(match_text(name))


@pytest.mark.parametrize("text", ["搭建创新中心", "区城市更新部署", "发展改革委会同水利部", "有关部门", "数据中心",
                                  "市经济信息化委和市生态环境局", "对工作中失职失责的领导干部", "补办"])
def test_clauses_and_things_are_not_units(text):
    assert not is_unit(match_text(text))


def test_regions_sharing_a_body_stay_one_collective():
    assert split_units("山东、江苏、浙江公司、国网客服中心") == ["山东、江苏、浙江公司", "国网客服中心"]
    assert unit_kind("山东、江苏、浙江公司") == COLLECTIVE


def test_a_clause_between_commas_is_a_tag():
    got = _read("1.推进台区拓扑校核,利用多元数据建立校核模型,福建公司牵头,安徽公司配合,在6月底前完成试点。")
    assert got[0][1:] == (["福建公司"], ["安徽公司"])
    assert got[0][0].endswith("建立校核模型")


def test_a_label_with_a_word_inside_and_a_time_frame_before_it():
    match = match_text("12.推动政务服务适老化改造。（0.5分）（6月底完成，牵头考核单位：市审批服务局）")
    [m] = find_measures(match, plan_year=2022)
    assert [u.mention for u in m.lead] == ["市审批服务局"] and m.deadline == "2022-06"
    assert match[m.start:m.end] == "推动政务服务适老化改造。"  # the item number and the score stay out


def test_a_tag_wrapped_over_lines_is_read_whole():
    got = _read("（一）建设文化数据平台，强化数据资源全生命周\n期的安全管控。（责任单位：省委宣传部、"
                "省文化广电\n和旅游厅）\n")
    [(text, lead, support)] = got
    assert lead == ["省委宣传部"] and [s.replace("\n", "") for s in support] == ["省文化广电和旅游厅"]
    assert text.startswith("建设文化数据平台")  # the measure starts where its sentence starts, not at the wrap


def test_a_table_flattened_to_one_cell_per_paragraph_with_a_merged_cell():
    text = ("任务清单\n\n序号\n\n任务名称\n\n任务内容\n\n牵头部门\n\n配合部门\n\n时间节点\n\n"
            "1\n\n加强组织领导\n\n召开全区动员大会，建立联席会议制度。\n\n区政府办公室\n\n各联席会议成员单位\n\n2019年3月\n\n"
            "2\n\n纳入专项督查和绩效评价指标体系。\n\n区委组织部\n\n区绿化市容局\n\n2019年\n\n")
    got = _read(text)
    assert [(g[1], g[2]) for g in got] == [(["区政府办公室"], ["各联席会议成员单位"]),
                                           (["区委组织部"], ["区绿化市容局"])]
    assert got[1][0] == "纳入专项督查和绩效评价指标体系。"  # the merged 任务名称 cell is skipped, not misread


def test_sentences_whose_subject_is_a_unit_are_its_measures():
    got = _read("（二）强化资金保障。市财政局加强对建设资金的支持保障。市数据局支持数字化项目立项。"
                "各地区、各部门要结合实际抓好落实。\n")
    assert [(g[1], g[2]) for g in got] == [(["市财政局"], []), (["市数据局"], [])]  # 各地区、各部门: a call, not a task


def test_a_duty_list_gives_each_line_to_its_unit():
    got = _read("五、职责分工\n\n区民防办：负责制定专业规划和年度建设计划。\n\n"
                "区教育局：负责推进在学校建设应急避难场所。\n\n区体育局：负责利用体育场馆建设应急避难场所。\n")
    assert [g[1] for g in got] == [["区民防办"], ["区教育局"], ["区体育局"]]
    assert got[0][0] == "负责制定专业规划和年度建设计划。"


def test_an_addressee_line_is_not_a_duty():
    assert _read("各设区市科技局：现将分工表印发给你们，请认真贯彻落实。\n") == []


@pytest.mark.parametrize(("tag", "lead", "support"), [
    ("(市发展改革委负总责,市财政局、市科技局具体落实)", ["市发展改革委"], ["市财政局", "市科技局"]),
    ("(市住建局主抓,各区政府积极配合)", ["市住建局"], ["各区政府"]),
    ("(责任单位:市资源规划局、市住建局、各区政府根据各自职责分别组织实施)", ["市资源规划局"], ["市住建局", "各区政府"]),
    ("(由发展改革委牵头,工业和信息化部、公安部、民政部等参加)", ["发展改革委"], ["工业和信息化部", "公安部", "民政部"]),
])
def test_lead_and_support_words_of_other_issuers(tag, lead, support):
    [(_, got_lead, got_support)] = _read("一、加强组织。建立工作机制。" + tag)
    assert (got_lead, got_support) == (lead, support)
