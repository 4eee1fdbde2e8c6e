"""How staff phrase searches, third set (tests/search/everyday_holdout3.jsonl), through the real /api/search and
/api/who-leads on the sample corpus: colloquial department words (科技口, 发改那边, 人社), department names typed in
pieces, text pasted with its responsibility note, questions across documents or topics, two departments that
issued a document together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.ids import entity_id
from search.compounds import join_names, split
from search.departments import Lexicon, lexicon, read
from search.docsets import segments
from search.querylang import parse
from search.questions import finer_words, is_filler, read_question, without_filler
from settings import SAMPLE_CORPUS
from tests.sample import HUAIBEI_PLAN, ZHEJIANG_PLAN, Loaded, policy_id

EXTRA = SAMPLE_CORPUS / "extra"
REFORM = EXTRA / "16_gwyb_fangguanfu-fengong-fangan_2020.txt"  # 放管服 task list (国办发〔2020〕43号)
BUSINESS = EXTRA / "22_gwyb_youhua-yingshang-huanjing_2020.txt"  # 优化营商环境 (国办发〔2020〕24号)
RETAIL = EXTRA / "04_jiangxi_liutong-xiaofei_2020.txt"  # 江西 流通 消费
BONDED = EXTRA / "02_gwy_zonghe-baoshuiqu_2019.txt"
GUARANTEE = EXTRA / "17_jiangxi_rongzi-danbao_2020.txt"
HUNDRED_CITIES = SAMPLE_CORPUS / "seeds" / "000_ea2e05c557d4a99d.txt"  # 科技部办公厅 财政部办公厅 …的通知


@pytest.fixture(scope="module")
def client(sample: Loaded) -> Any:
    from webapp import create_app

    return create_app({"TESTING": True, "GRAPH_STORE": sample.store, "SEARCH_INDEX": sample.index}).test_client()


@pytest.fixture(scope="module")
def lex(sample: Loaded) -> Lexicon:
    return lexicon(segments(sample.index.searcher()))


def _search(client: Any, q: str) -> dict[str, Any]:
    return client.get("/api/search", query_string={"q": q, "page_size": 10}).get_json()


def _uids(client: Any, q: str) -> list[str]:
    return [hit["uid"] for hit in _search(client, q)["hits"]]


def _leads(client: Any, q: str) -> list[str]:
    body = client.get("/api/who-leads", query_string={"q": q, "limit": 5}).get_json()
    return [lead["name"] for lead in body["leads"]]


def _measure(path: Path, n: int) -> str:
    return f"measure:mea-{policy_id(path)[4:]}-{n:03d}"


def _policy(path: Path) -> str:
    return f"policy:{policy_id(path)}"


def test_a_line_of_work_with_a_colloquial_marker_names_its_departments(lex: Lexicon) -> None:
    found = read("科技口", lex)
    assert found is not None and {"淮北市科学技术局", "浙江省科学技术厅", "科学技术部"} <= set(found.names)
    found = read("发改委那边", lex)  # a body's own short name before the marker
    assert found is not None and "国家发展和改革委员会" in found.names
    assert read("财政上", lex) is not None and read("体育系统", lex) is not None
    # the bare line of work is a topic; words that only end like a marker name nothing
    assert read("科技", lex) is None and read("出口", lex) is None and read("线上", lex) is None
    assert read("原则上", lex) is None and read("进出口", lex) is None


def test_a_colloquial_department_word_finds_what_the_department_leads(client: Any) -> None:
    assert _uids(client, "科技口 中试基地")[:1] == [_measure(HUAIBEI_PLAN, 22)]
    ice = EXTRA / "13_gwyb_tiyu-jingsai-biaoyan_2018.txt"
    assert _uids(client, "体育口 赛事门票")[:1] == [_measure(ice, 10)]
    body = client.get("/api/who-leads", query_string={"q": "发改那边管哪些事", "limit": 5}).get_json()
    assert body["reading"]["kind"] == "department"
    assert body["leads"] and all(lead["name"].endswith("发展和改革委员会") for lead in body["leads"])


def test_a_bare_line_of_work_is_read_only_after_nothing_matched(client: Any) -> None:
    # 人社 is written nowhere (人力资源社会保障): the second try reads it as the departments
    body = _search(client, "人社 技能人才评价")
    assert [h["uid"] for h in body["hits"]][:1] == [_measure(REFORM, 13)]
    assert any("人力资源和社会保障部" in d["names"] for d in body["departments"])
    # 科技 and 金融 match as typed: 科技 stays a topic word
    assert _search(client, "科技 金融")["departments"] == []


def test_a_department_name_typed_in_pieces(client: Any, lex: Lexicon) -> None:
    bureau = f"department:{entity_id('Department', '淮北市科学技术局')}"
    assert _uids(client, "淮北 市 科技局")[:1] == [bureau]
    assert _uids(client, "浙江 省 科技厅   新型 研发 机构")[:1] == [_measure(ZHEJIANG_PLAN, 15)]
    kept = parse("江西 2020 融资担保 通知")
    join_names(kept, lex)
    assert [g[0].text for g in kept.groups] == ["江西", "2020", "融资担保", "通知"]


def test_the_work_a_department_leads_is_its_measures(client: Any) -> None:
    uids = _uids(client, "中央网络安全和信息化委员会办公室牵头的工作")
    assert uids[:1] == [_measure(REFORM, 59)] and all(u.startswith("measure:") for u in uids)


def test_a_pasted_responsibility_note_is_left_out(client: Any) -> None:
    q = ("推广“互联网+回收”“互联网+旧货”“互联网+资源循环”等绿色生产流通消费方式。"
         "（省商务厅、省生态环境厅、省工业和信息化厅按职责分工负责）")
    body = _search(client, q)
    assert [h["uid"] for h in body["hits"]][:1] == [_measure(RETAIL, 4)]
    assert any("责任单位" in note for note in body["notes"])
    assert [g[0].text for g in parse("管理考核办法（试行）").groups] == ["管理考核办法（试行）"]  # no unit named


def test_questions_across_documents(client: Any) -> None:
    assert without_filler("营商环境两个文件有什么区别") == "营商环境文件"
    assert without_filler("两个文件都提到的一照多址") == "一照多址"
    assert is_filler("对比") and not is_filler("对比度")
    assert set(_uids(client, "营商环境两个文件有什么区别")[:2]) == {_policy(BUSINESS), _policy(REFORM)}
    assert set(_uids(client, "两个文件都提到的一照多址")[:2]) == {_measure(RETAIL, 15), _measure(BUSINESS, 5)}


def test_two_departments_and_the_words_saying_they_issued_it(client: Any, lex: Lexicon) -> None:
    found = split("科技部和财政部联合发的通知", lex)
    assert found is not None and found.parts == ["科技部", "财政部", "通知"]
    assert _uids(client, "科技部和财政部联合发的通知")[:1] == [_policy(HUNDRED_CITIES)]


def test_a_kind_word_beside_a_topic_asks_for_that_kind_on_the_second_try(client: Any) -> None:
    uids = _uids(client, "综合保税区 文件")  # as a word, 文件 is in no entry with 综合保税区
    assert uids[:1] == [_policy(BONDED)] and all(u.startswith("policy:") for u in uids)
    assert _uids(client, "融资担保 措施")[:1] == [_policy(GUARANTEE)]  # matched as typed: a title's 若干措施


def test_topics_asked_about_together_are_answered_each(client: Any, lex: Lexicon) -> None:
    question = read_question("农机装备和体育竞赛表演分别由哪个部门负责", lex)
    assert question.topics == ["农机装备", "体育竞赛表演"] and question.respectively
    leads = _leads(client, "农机装备和体育竞赛表演分别由哪个部门负责")
    assert "国家体育总局" in leads[:2] and {"农业农村部", "工业和信息化部"} & set(leads[:2])
    assert read_question("科技金融融合由哪个部门负责", lex).topics == []


def test_a_topic_written_apart_in_the_documents_is_tried_word_by_word(client: Any) -> None:
    assert finer_words("特种设备安全监管") == "特种 设备 安全 监管"
    assert _leads(client, "特种设备安全监管找哪个部门")[:1] == ["应急管理部"]


def test_a_national_body_also_names_its_branches_in_the_regions(client: Any, lex: Lexicon) -> None:
    found = read("人行", lex)  # the branches are named after it: 人行南昌中心支行
    assert found is not None and {"中国人民银行", "人行南昌中心支行", "人行淮北中心支行"} <= set(found.names)
    found = read("外汇局", lex)
    assert found is not None and "国家外汇管理局江西省分局" in found.names
    finance = EXTRA / "06_jiangxi_jinrong-zhichi-yiqing_2020.txt"  # a measure 人行南昌中心支行 leads
    assert _measure(finance, 11) in _uids(client, "人行 再贷款")[:3]


def test_a_line_of_work_also_names_the_regions_bodies_called_by_it(client: Any) -> None:
    body = _search(client, "银保监 小微企业贷款")  # 江西银保监局, 淮北市银保监分局, 银保监会
    assert body["hits"] and any("江西银保监局" in d["names"] for d in body["departments"])
    body = _search(client, "海关那边 通关")  # 南昌海关 and 海关总署
    assert body["hits"] and {"海关总署", "南昌海关"} <= set(body["departments"][0]["names"])


def test_a_deadline_finds_the_tasks_due_by_it(client: Any, lex: Lexicon) -> None:
    found = split("2020年底前完成的任务", lex)
    assert found is not None and found.parts == ["2020年底前"] and found.kind == "measure"
    uids = _uids(client, "2020年底前完成的任务")
    assert uids and all(u.startswith("measure:") for u in uids)
    texts = [h["snippet_html"] for h in _search(client, "2021年6月底前要完成的任务")["hits"]]
    assert texts and all("2021年6月底前" in t.replace("<mark>", "").replace("</mark>", "") for t in texts)


def test_a_pasted_item_number_is_left_out(client: Any) -> None:
    machinery = EXTRA / "01_gwy_nongji-zhuangbei-chanye_2018.txt"
    assert without_filler("（三）加快推进农机装备创新") == "加快推进农机装备创新"
    assert without_filler("1.积极稳妥地推广试点") == "积极稳妥地推广试点"
    assert without_filler("1.5万元") == "1.5万元"  # a number, not an item's
    assert _uids(client, "（三）加快推进农机装备创新")[:1] == [_measure(machinery, 0)]
    assert _uids(client, "1.积极稳妥地在综合保税区推广增值税一般纳税人资格试点")[:1] == [_measure(BONDED, 0)]


def test_documents_mentioning_a_topic_are_its_policies(client: Any) -> None:
    assert without_filler("哪些文件提到了跨境电商") == "跨境电商的文件"
    uids = _uids(client, "哪些文件提到了跨境电商")
    assert _policy(BONDED) in uids and all(u.startswith("policy:") for u in uids)


def test_a_department_s_work_said_plainly_is_its_measures(client: Any) -> None:
    uids = _uids(client, "发改委的活")
    assert uids and all(u.startswith("measure:") for u in uids)


def test_document_numbers_asked_together_and_beside_other_words(client: Any) -> None:
    both = _uids(client, "国办发〔2020〕24号和国办发〔2020〕43号")
    assert set(both[:2]) == {_policy(BUSINESS), _policy(REFORM)}
    # only the policy entry holds its number: beside other words it also stands for the document's entries
    assert _uids(client, "国办发〔2020〕43号 跨省通办")[:1] == [_measure(REFORM, 72)]
    customs = _uids(client, "国发〔2019〕3号 海关总署牵头的任务")
    assert customs and all(u.startswith(f"measure:mea-{policy_id(BONDED)[4:]}-") for u in customs)
    assert _uids(client, "国发〔2019〕3号")[:1] == [_policy(BONDED)]


def test_a_question_naming_a_topic_and_the_departments_in_mind(client: Any, lex: Lexicon) -> None:
    question = read_question("中试基地是科技局管吗", lex)
    assert question.department is not None and question.topic == "中试基地"
    assert _leads(client, "中试基地是科技局管吗") == ["淮北市科学技术局"]
    either = read_question("科技投入是科技局还是财政局牵头", lex)
    assert either.department is not None and set(either.department.names) == {"淮北市科学技术局", "淮北市财政局"}
    assert either.topic == "科技投入"


def test_colloquial_words_around_a_who_leads_topic(client: Any, lex: Lexicon) -> None:
    assert read_question("口罩这块谁管", lex).topic == "口罩"
    assert read_question("省里谁管融资担保", lex).topic == "融资担保"
    assert _leads(client, "市里谁负责科技特派员")[:1] == ["淮北市科学技术局"]


def test_the_second_try_of_several_words_widens_a_word_written_nowhere(client: Any) -> None:
    # 稳就业 is written nowhere; 减税降费 holds the search to the topic, 就业 is in the documents
    uids = _uids(client, "减税降费 稳就业")
    assert _measure(REFORM, 0) in uids[:3]
    assert _uids(client, "冰雪运动") == []  # one word alone is not widened: its suggestions answer it


def test_a_title_pasted_with_its_number_in_brackets(client: Any) -> None:
    q = "江西省人民政府办公厅关于加快发展流通促进商业消费的实施意见（赣府厅发〔2020〕7号）"
    assert [g[0].text for g in parse(q).groups][1:] == ["赣府厅发〔2020〕7号"]
    assert _uids(client, q)[:1] == [_policy(RETAIL)]


def test_a_who_leads_question_with_a_department_typed_in_pieces(client: Any, lex: Lexicon) -> None:
    question = read_question("淮北 科技局 牵头了哪些", lex)
    assert question.department is not None and question.department.names == ("淮北市科学技术局",)
    assert question.topic == ""


def test_a_body_without_region_is_its_whole_line_of_work_on_the_second_try(client: Any) -> None:
    # 人社局 is 淮北's bureau, which leads nothing on 就业 in 2020: the second try takes every 人社 body
    body = _search(client, "人社局 就业 2020年")
    assert body["hits"] and any("人力资源和社会保障部" in d["names"] for d in body["departments"])
    assert _search(client, "人社局")["departments"][0]["names"] == ["淮北市人力资源和社会保障局"]  # as typed


def test_bodies_named_without_region_or_without_the_knowledge_base(client: Any, lex: Lexicon) -> None:
    found = read("金融局", lex)  # a short name the knowledge base does not list: its line of work, every region
    assert found is not None and "江西省地方金融监督管理局" in found.names
    found = read("组织部", lex)  # the party committee's department of each region: 淮北市委组织部
    assert found is not None and set(found.names) == {"淮北市委组织部", "江西省委组织部"}
    assert read("全部", lex) is None and read("内部", lex) is None
    assert _leads(client, "综合保税区归海关管吗")[:1] == ["海关总署"]
    assert _leads(client, "人才评价和职称评审是组织部负责吗") == ["淮北市委组织部"]


def test_a_who_leads_topic_typed_short_is_tried_as_documents_write_it(client: Any) -> None:
    assert _leads(client, "综保区谁管")[:1] == ["海关总署"]  # 综保区 → 综合保税区 (search.synonyms)


def test_two_issuers_or_regions_joined_are_either_unless_they_acted_together(client: Any, lex: Lexicon) -> None:
    either = split("国务院和江西关于综合保税区的政策", lex)
    assert either is not None and not either.together and either.also_place == "江西"
    assert either.clauses()[0].either and [c.text for c in either.clauses()[0].parts] == ["国务院", "江西"]
    uids = _uids(client, "国务院和江西关于综合保税区的政策")
    assert uids[:1] == [_policy(BONDED)] and _policy(RETAIL) in uids  # 国务院's and 江西's
    both = split("科技部和财政部联合发的通知", lex)
    assert both is not None and both.together and not any(c.either for c in both.clauses())
