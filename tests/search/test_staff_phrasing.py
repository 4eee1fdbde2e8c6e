"""How staff phrase searches, through the real /api/search on the sample corpus: document numbers in any
writing, request and closing words around a topic, policy titles typed with words left out, and a region's
body written without its last character."""

from __future__ import annotations

from typing import Any

import pytest

from core.ids import entity_id
from search.departments import Lexicon, read
from search.querylang import parse, title_match
from search.questions import is_filler, without_filler
from settings import SAMPLE_CORPUS
from tests.sample import ZHEJIANG_PLAN, Loaded, policy_id

GUARANTEE = SAMPLE_CORPUS / "extra" / "17_jiangxi_rongzi-danbao_2020.txt"  # 赣府厅发〔2020〕10号
ZONES = SAMPLE_CORPUS / "extra" / "05_jiangxi_guojiaji-kaifaqu-chuangxin_2020.txt"  # 赣府发〔2020〕8号
MARKET = SAMPLE_CORPUS / "extra" / "23_jiangxi-scjg_yingdui-yiqing-jushi_2020.txt"  # 赣市监综〔2020〕1号
BONDED = SAMPLE_CORPUS / "extra" / "02_gwy_zonghe-baoshuiqu_2019.txt"  # 国发〔2019〕3号
MACHINERY = SAMPLE_CORPUS / "extra" / "01_gwy_nongji-zhuangbei-chanye_2018.txt"


@pytest.fixture(scope="module")
def client(sample: Loaded) -> Any:
    from webapp import create_app

    return create_app({"TESTING": True, "GRAPH_STORE": sample.store, "SEARCH_INDEX": sample.index}).test_client()


def _uids(client: Any, q: str) -> list[str]:
    body = client.get("/api/search", query_string={"q": q, "page_size": 10}).get_json()
    return [hit["uid"] for hit in body["hits"]]


@pytest.mark.parametrize(("q", "canonical"), [
    ("国发[2019]3号", "国发〔2019〕3号"), ("赣府厅发(2020)10号", "赣府厅发〔2020〕10号"),
    ("赣府发【2020】8号", "赣府发〔2020〕8号"), ("国办发2018年121号", "国办发〔2018〕121号"),
    ("赣市监综2020年1号", "赣市监综〔2020〕1号"), ("国办发〔2020〕24号文", "国办发〔2020〕24号"),
    ("皖政〔2022〕64號", "皖政〔2022〕64号"), ("国发 2018 42号", "国发〔2018〕42号"),
])
def test_a_document_number_is_read_in_any_writing(q: str, canonical: str) -> None:
    assert parse(q).groups[0][0].text == canonical


def test_a_year_and_a_number_without_an_issuer_code_stay_words() -> None:
    assert [g[0].text for g in parse("科技部 2020年 3号文件").groups] == ["科技部", "2020年", "3号文件"]


@pytest.mark.parametrize(("path", "q"), [
    (GUARANTEE, "赣府厅发(2020)10号"), (GUARANTEE, "赣府厅发〔2020〕10号"), (ZONES, "赣府发【2020】8号"),
    (MARKET, "赣市监综2020年1号"), (BONDED, "国发[2019]3号"),
])
def test_a_policy_is_found_by_its_own_number(client: Any, path: Any, q: str) -> None:
    # the reader takes the number out of these documents' text (a header line): the policy entry holds it
    assert _uids(client, q)[:1] == [f"policy:{policy_id(path)}"]


@pytest.mark.parametrize(("q", "left"), [
    ("请问有没有关于综合保税区的政策", "综合保税区的政策"), ("关于科技特派员的措施有哪些", "科技特派员的措施"),
    ("帮我查一下农机装备的指导意见", "农机装备的指导意见"), ("中试基地吗", "中试基地"),
    ("有没有支持新型研发机构的文件", "新型研发机构的文件"),  # the request's verb goes with it
    ("支持新型研发机构", "支持新型研发机构"), ("科技金融", "科技金融"), ("关于", "关于"),
])
def test_request_and_closing_words_are_taken_off(q: str, left: str) -> None:
    assert without_filler(q) == left


def test_only_words_that_ask_are_filler() -> None:
    assert is_filler("请问") and is_filler("帮我查一下") and is_filler("有没有")
    assert not is_filler("科技金融") and not is_filler("请问中试基地")


def test_a_request_finds_what_its_topic_finds(client: Any) -> None:
    assert _uids(client, "请问有没有关于综合保税区的政策")[:1] == [f"policy:{policy_id(BONDED)}"]
    assert _uids(client, "帮我查一下农机装备的指导意见")[:1] == [f"policy:{policy_id(MACHINERY)}"]
    assert _uids(client, "请问 营商环境") == _uids(client, "营商环境")  # a request word on its own is left out
    only_policies = _uids(client, "请问有没有关于综合保税区的政策")
    assert only_policies and all(uid.startswith("policy:") for uid in only_policies)  # …的政策: policies


@pytest.mark.parametrize(("path", "q"), [
    (GUARANTEE, "完善政府性融资担保体系若干措施"),  # 切实支持小微企业和“三农”发展 left out
    (ZHEJIANG_PLAN, "科技新政督查整改方案"),  # 提升行动 left out
])
def test_a_title_typed_with_words_left_out_finds_its_policy(client: Any, path: Any, q: str) -> None:
    assert _uids(client, q)[:1] == [f"policy:{policy_id(path)}"]


def test_short_queries_are_not_matched_on_title_words_alone() -> None:
    assert title_match(parse("科技 金融 政策"), {}) is None
    assert title_match(parse("完善 政府 融资 担保"), {}) is not None


def test_a_body_written_without_its_end_after_a_region(client: Any) -> None:
    market = f"department:{entity_id('Department', '江西省市场监督管理局')}"
    assert _uids(client, "江西市场监管")[:1] == [market]
    economy = f"department:{entity_id('Department', '浙江省经济和信息化厅')}"
    assert _uids(client, "浙江经信")[:1] == [economy]


def test_without_a_region_the_short_form_stays_a_topic() -> None:
    lex = Lexicon({"江西省市场监督管理局": 5, "淮北市市场监督管理局": 2, "淮北市发展和改革委员会": 3})
    found = read("淮北发改", lex)
    assert found is not None and found.names == ("淮北市发展和改革委员会",)
    assert read("市场监管", lex) is None and read("发改", lex) is None


@pytest.mark.parametrize("q", ["中试基地应该问谁", "谁在管中试基地", "中试基地哪个局管"])
def test_a_colloquial_question_finds_the_lead(client: Any, q: str) -> None:
    body = client.get("/api/who-leads", query_string={"q": q, "limit": 5}).get_json()
    assert [lead["name"] for lead in body["leads"]][:1] == ["淮北市科学技术局"]


def test_a_body_without_its_region_reads_as_every_region_s(client: Any) -> None:
    lex = Lexicon({"江西证监局": 3, "浙江证监局": 1, "江西省市场监督管理局": 5, "江西省邮政管理局": 1})
    found = read("证监局", lex)
    assert found is not None and found.names == ("江西证监局", "浙江证监局")
    assert read("管理局", lex) is None  # 江西省市场监督 is no region: a generic ending names nothing
    wanted = {f"department:{entity_id('Department', n)}" for n in ("江西证监局", "浙江证监局")}
    assert _uids(client, "证监局")[0] in wanted


def test_a_region_run_into_a_topic_finds_the_region_s_policy(client: Any) -> None:
    assert _uids(client, "浙江科技新政")[:1] == [f"policy:{policy_id(ZHEJIANG_PLAN)}"]
    assert _uids(client, "江西融资担保")[:1] == [f"policy:{policy_id(GUARANTEE)}"]


def test_a_programme_name_finds_the_documents_that_quote_its_core(client: Any) -> None:
    # the documents write “百城百园”行动 / “赣服通”平台; typed, the name is one dictionary word
    first_plan = SAMPLE_CORPUS / "seeds" / "000_ea2e05c557d4a99d.txt"
    assert f"policy:{policy_id(first_plan)}" in _uids(client, "百城百园行动")
    assert any(uid.startswith("measure:") for uid in _uids(client, "赣服通平台"))
    assert not [uid for uid in _uids(client, '"百城百园行动"') if uid.startswith("measure:")]  # quoted: as typed


def test_a_department_with_a_topic_no_document_writes_as_typed(client: Any) -> None:
    # 冰雪运动 is written nowhere (冰雪体育赛事): the second try keeps the department and any topic word
    ice = "measure:mea-" + policy_id(SAMPLE_CORPUS / "extra" / "13_gwyb_tiyu-jingsai-biaoyan_2018.txt")[4:] + "-003"
    assert _uids(client, "国家体育总局冰雪运动")[:1] == [ice]
    assert _uids(client, '"冰雪运动"') == []  # as typed, nothing holds it


def test_a_department_s_policies_are_those_naming_it(client: Any) -> None:
    # the 淮北 plan names no issuer the reader could find, but its measures name 淮北市科学技术局 as lead
    huaibei = f"policy:{policy_id(SAMPLE_CORPUS / 'seeds' / '002_a49a57821bd4ff1c.txt')}"
    assert _uids(client, "淮北市科技局有哪些政策")[:1] == [huaibei]
    assert without_filler("淮北市科技局有哪些政策") == "淮北市科技局政策"
