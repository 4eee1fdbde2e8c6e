"""Each saved query's rows on the sample corpus, as the hand-checked gold says they should be.

Where the expectations come from (never from a run of the extractor):
- measure gold, one record per measure with its lead and supporting units as written: `tests/gold/` (the
  shared development set: the 淮北 plan, seeds/002, and the 浙江 plan, seeds/003) and `tests/loaders/gold/`
  (extra/01, 05, 16, 23);
- entity gold (programmes, platforms, reporting lines, citations): `tests/corpus/entities/sample_gold.json`;
- for issuers, dates and validity, the documents' own words, quoted in the test that uses them.
Per query: measure gold: measure_count_by_policy, policies_by_issuer (counts), lead_support_matrix,
policy_structure, department_portfolio, department_neighbourhood, shared_measures,
departments_in_many_policies, measures_due_before, measures_without_lead, region_contents,
lead_departments_by_keyword (with the document's words); entity gold:
platform_operators, programme_departments, reporting_chain, policy_lineage; the documents' words:
policies_in_force, issuer_network, policies_by_issuer (issuers).  lead_ranking_per_policy, top_collaborators,
overdue_measures and collaboration_path are checked against the measure gold in
test_saved_queries.py; policy_lineage and policies_in_force on their own corpus in test_lineage.py and
test_in_force.py.
Units are compared by canonical name: the maps below spell out, by reading, which body each short form
written in a document names (市科技局 in the 淮北 plan is 淮北市科学技术局).
"""

from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import Any

import pytest

from graph.saved import QueryLibrary
from settings import ROOT
from tests.sample import Loaded

QUERIES = ROOT / "queries"
SHARED_GOLD = ROOT / "tests" / "gold"
EXTRA_GOLD = ROOT / "tests" / "loaders" / "gold"
ENTITY_GOLD = ROOT / "tests" / "corpus" / "entities" / "sample_gold.json"

# Gold file → the sample-corpus file it annotates (a gold file is named after its document).
GOLD_DOCS = {**{f: f"seeds/{f.stem}.txt" for f in sorted(SHARED_GOLD.glob("*.jsonl"))},
             **{f: f"extra/{f.stem}.txt" for f in sorted(EXTRA_GOLD.glob("*.jsonl"))}}
HUAIBEI, ZHEJIANG = (SHARED_GOLD / "002_a49a57821bd4ff1c.jsonl", SHARED_GOLD / "003_ec5392306e21f47a.jsonl")

# Short forms that name the same body within one document (市人社局 is the 市人力资源和社会保障局).
SAME_BODY = {
    "市人社局": "市人力资源和社会保障局", "市人力资源社会保障局": "市人力资源和社会保障局",  # 淮北 plan
    "省市场监督管理局": "省市场监管局",  # 浙江 plan
    "省局登记注册局": "登记注册局", "省局行政审批处": "行政审批处",  # 江西 market-regulation measures (extra/23)
}
# Full names of the 淮北 plan's units: 市 means 淮北市; short forms spelled out.
_HUAIBEI_FULL = {"市科技局": "淮北市科学技术局", "市发展改革委": "淮北市发展和改革委员会",
                 "市人力资源和社会保障局": "淮北市人力资源和社会保障局", "市市场监管局": "淮北市市场监督管理局",
                 "市地方金融监管局": "淮北市地方金融监督管理局", "市委编办": "淮北市委机构编制委员会办公室",
                 "淮北银保监分局": "淮北市银保监分局", "人行淮北中心支行": "人行淮北中心支行"}
# Full names of the 浙江 plan's units: 省 means 浙江省; the bodies already named in full stay as written.
_ZHEJIANG_FULL = {"省科技厅": "浙江省科学技术厅", "省发展改革委": "浙江省发展和改革委员会",
                  "省经信厅": "浙江省经济和信息化厅", "省人力社保厅": "浙江省人力资源和社会保障厅",
                  "省卫生健康委": "浙江省卫生健康委员会", "省国资委": "浙江省国有资产监督管理委员会",
                  "省市场监管局": "浙江省市场监督管理局", "省地方金融监管局": "浙江省地方金融监督管理局",
                  "各市、县(市、区)": "浙江省各市、县(市、区)",
                  "杭州市": "杭州市人民政府"}  # a city named as the responsible unit: its government


def huaibei_name(unit: str) -> str:
    unit = SAME_BODY.get(unit, unit)
    return _HUAIBEI_FULL.get(unit) or ("淮北" + unit if unit.startswith("市") else "淮北市" + unit)


def zhejiang_name(unit: str) -> str:
    unit = SAME_BODY.get(unit, unit)
    return _ZHEJIANG_FULL.get(unit) or ("浙江" + unit if unit.startswith("省") else unit)


def gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def entity_gold() -> dict[str, Any]:
    return json.loads(ENTITY_GOLD.read_text(encoding="utf-8"))


def rows(sample: Loaded, name: str, **params: str) -> list[dict[str, Any]]:
    result = QueryLibrary(QUERIES).run(sample.store, name, params, row_cap=5000)
    assert not result.truncated
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def title_of(sample: Loaded, source: str) -> str:
    """The stored title of the policy read from `source` (a path relative to sample_corpus/)."""
    found = sample.store.read("MATCH (p:Policy) WHERE p.source = $s RETURN p.title", {"s": source}).rows
    assert len(found) == 1, (source, found)
    return found[0][0]


def _role(r: dict[str, Any]) -> str:
    return {"LEADS": "牵头", "SUPPORTS": "配合"}[r["type"]]


# ---------------------------------------------------------------- counts per policy


@pytest.mark.parametrize("gold_file", list(GOLD_DOCS), ids=lambda p: p.stem)
def test_measure_count_by_policy(sample: Loaded, gold_file: Path) -> None:
    """措施数 = the gold's measures; 牵头/配合部门数 = the distinct bodies it lists as leads / supporters."""
    records = gold(gold_file)
    leads = {SAME_BODY.get(u, u) for r in records for u in r["lead"]}
    supporters = {SAME_BODY.get(u, u) for r in records for u in r["support"]}
    by_title = {r["政策"]: r for r in rows(sample, "measure_count_by_policy")}
    row = by_title[title_of(sample, GOLD_DOCS[gold_file])]
    assert (row["措施数"], row["牵头部门数"], row["配合部门数"]) == (len(records), len(leads), len(supporters))


def test_policies_by_issuer_counts_the_measures_of_each_issued_policy(sample: Loaded) -> None:
    """Issuers as the documents sign them (extra/01: 国务院 …, extra/16: 国务院办公厅 …, extra/05: 江西省人民政府
    …, extra/23: 江西省市场监管局, seeds/003: 浙江省科技领导小组办公室印发…); 措施数 from the gold. The 淮北
    plan (seeds/002) is a web page that names no issuer, so it has no row."""
    issuers = {"extra/01_gwy_nongji-zhuangbei-chanye_2018.txt": "国务院",
               "extra/16_gwyb_fangguanfu-fengong-fangan_2020.txt": "国务院办公厅",
               "extra/05_jiangxi_guojiaji-kaifaqu-chuangxin_2020.txt": "江西省人民政府",
               "extra/23_jiangxi-scjg_yingdui-yiqing-jushi_2020.txt": "江西省市场监督管理局",
               "seeds/003_ec5392306e21f47a.txt": "浙江省科技领导小组办公室"}
    found = {(r["发文机关"], r["政策"]): r["措施数"] for r in rows(sample, "policies_by_issuer")}
    for gold_file, source in GOLD_DOCS.items():
        title = title_of(sample, source)
        if source in issuers:
            assert found[(issuers[source], title)] == len(gold(gold_file)), source
        else:
            assert not [key for key in found if key[1] == title], source


def test_lead_support_matrix_of_the_zhejiang_plan(sample: Loaded) -> None:
    """Every body's lead and support counts in the 浙江 plan, from its gold."""
    expected: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for r in gold(ZHEJIANG):
        for unit in r["lead"]:
            expected[zhejiang_name(unit)]["牵头"] += 1
        for unit in r["support"]:
            expected[zhejiang_name(unit)]["配合"] += 1
    found = {r["部门"]: (r["牵头"], r["配合"]) for r in rows(sample, "lead_support_matrix", policy="科技新政")}
    assert found == {name: (c["牵头"], c["配合"]) for name, c in expected.items()}


def test_policy_structure_pairs_each_measure_with_its_leads(sample: Loaded) -> None:
    """One row per (measure, lead): the 浙江 plan's gold leads, in measure order."""
    found = rows(sample, "policy_structure", policy="科技新政", limit="1000")
    expected = collections.Counter(zhejiang_name(u) for r in gold(ZHEJIANG) for u in r["lead"])
    assert collections.Counter(r["牵头部门"]["properties"]["name"] for r in found) == expected
    ordinals = [r["措施"]["properties"]["ordinal"] for r in found]
    assert ordinals == sorted(ordinals) and len(set(ordinals)) == len(gold(ZHEJIANG))
    assert {r["政策"]["properties"]["source"] for r in found} == {"seeds/003_ec5392306e21f47a.txt"}


# ---------------------------------------------------------------- one department


def test_department_portfolio_of_the_zhejiang_science_department(sample: Loaded) -> None:
    """浙江省科学技术厅 appears only in the 浙江 plan: its roles and deadlines there, from the gold."""
    expected = collections.Counter(
        (role, r["deadline"]) for r in gold(ZHEJIANG)
        for role, units in (("牵头", r["lead"]), ("配合", r["support"])) if "省科技厅" in units)
    found = rows(sample, "department_portfolio", department="浙江省科学技术厅")
    assert collections.Counter((r["角色"], r["完成时限"]) for r in found) == expected
    assert {r["政策"] for r in found} == {title_of(sample, "seeds/003_ec5392306e21f47a.txt")}


def test_department_portfolio_accepts_the_short_name_written_in_the_document(sample: Loaded) -> None:
    full = rows(sample, "department_portfolio", department="淮北市科学技术局")
    assert full and rows(sample, "department_portfolio", department="市科技局") == full
    assert len(full) == sum(1 for r in gold(HUAIBEI) if "市科技局" in r["lead"] + r["support"])


def test_department_neighbourhood_of_the_huaibei_bureau(sample: Loaded) -> None:
    """One row per (measure, other body) of the 淮北 plan's measures that name 市科技局, with both roles."""
    expected: collections.Counter[tuple[str, str, str]] = collections.Counter()
    for r in gold(HUAIBEI):
        roles = {huaibei_name(u): "牵头" for u in r["lead"]} | {huaibei_name(u): "配合" for u in r["support"]}
        if "淮北市科学技术局" in roles:
            own = roles.pop("淮北市科学技术局")
            expected.update((own, role, other) for other, role in roles.items())
    found = rows(sample, "department_neighbourhood", department="淮北市科学技术局", limit="1000")
    assert collections.Counter((_role(r["角色"]), _role(r["协作角色"]), r["协作单位"]["properties"]["name"])
                               for r in found) == expected


def test_shared_measures_of_two_huaibei_departments(sample: Loaded) -> None:
    """The 淮北 plan's measures that name both 市科技局 and 市财政局, with each one's role."""
    def role(r: dict[str, Any], unit: str) -> str:
        return "牵头" if unit in r["lead"] else "配合"

    both = [r for r in gold(HUAIBEI) if {"市科技局", "市财政局"} <= set(r["lead"] + r["support"])]
    found = rows(sample, "shared_measures", dept_a="淮北市科学技术局", dept_b="淮北市财政局")
    assert both and collections.Counter((r["第一个部门的角色"], r["第二个部门的角色"]) for r in found) == \
        collections.Counter((role(r, "市科技局"), role(r, "市财政局")) for r in both)
    assert {r["政策"] for r in found} == {title_of(sample, "seeds/002_a49a57821bd4ff1c.txt")}


def test_departments_in_many_policies_includes_the_ministries_both_state_council_plans_name(sample: Loaded) -> None:
    """Ministries listed (lead or support) in both gold-annotated State Council plans, extra/01 and extra/16,
    are in at least those two policies (other documents may add more)."""
    national = {"发展改革委": "国家发展和改革委员会", "科技部": "科学技术部", "工业和信息化部": "工业和信息化部",
                "农业农村部": "农业农村部", "商务部": "商务部", "财政部": "财政部",
                "市场监管总局": "国家市场监督管理总局"}
    files = [EXTRA_GOLD / "01_gwy_nongji-zhuangbei-chanye_2018.jsonl",
             EXTRA_GOLD / "16_gwyb_fangguanfu-fengong-fangan_2020.jsonl"]
    named = [{u for r in gold(f) for u in r["lead"] + r["support"]} for f in files]
    common = {national[u] for u in named[0] & named[1] if u in national}
    assert len(common) >= 3  # the check below means something
    titles = {title_of(sample, GOLD_DOCS[f]) for f in files}
    found = {r["部门"]: r for r in rows(sample, "departments_in_many_policies", min_policies="2")}
    for name in common:
        assert name in found and titles <= set(found[name]["政策"]) and found[name]["政策数"] >= 2, name
    assert all(r["政策数"] >= 2 for r in found.values())


# ---------------------------------------------------------------- dates


def test_measures_due_before_2021_in_the_zhejiang_plan(sample: Loaded) -> None:
    """The 浙江 plan's deadlines (gold) before 2021-01; the 淮北 plan's measures carry none."""
    found = rows(sample, "measures_due_before", before="2021-01")
    zhejiang, huaibei = (title_of(sample, GOLD_DOCS[f]) for f in (ZHEJIANG, HUAIBEI))
    expected = sorted(r["deadline"] for r in gold(ZHEJIANG) if r["deadline"] and r["deadline"] < "2021-01")
    assert expected and sorted(r["完成时限"] for r in found if r["政策"] == zhejiang) == expected
    assert not [r for r in found if r["政策"] == huaibei]
    assert [r["完成时限"] for r in found] == sorted(r["完成时限"] for r in found)


def test_measures_without_lead_are_none_of_the_gold_measures(sample: Loaded) -> None:
    """Every measure in the six gold-annotated documents has a lead (the gold lists one for each)."""
    assert all(r["lead"] for f in GOLD_DOCS for r in gold(f))
    titles = {title_of(sample, source) for source in GOLD_DOCS.values()}
    found = rows(sample, "measures_without_lead", limit="1000")
    assert not [r for r in found if r["政策"] in titles]


# Read from the documents: extra/01, 03 and 13 are signed 2018年12月21日, 2018年12月6日 and 2018年12月11日, every
# other dated document in 2019 or 2020 (the latest, extra/16, 2020年11月1日); seeds/001, 002 and 003 carry no
# date, which the query takes as in force; the 淮北 plan (seeds/002) says 有效期到2025年12月31日.
SIGNED_IN_2018 = {"extra/01_gwy_nongji-zhuangbei-chanye_2018.txt", "extra/03_gwyb_zhenzhuashigan-jili_2018.txt",
                  "extra/13_gwyb_tiyu-jingsai-biaoyan_2018.txt"}
UNDATED = {"seeds/001_9b1470b7e4c19b99.txt", "seeds/002_a49a57821bd4ff1c.txt", "seeds/003_ec5392306e21f47a.txt"}
ALL_SOURCES = {f.relative_to(ROOT / "sample_corpus").as_posix() for f in (ROOT / "sample_corpus").glob("*/*.txt")}


@pytest.mark.parametrize(("on", "expected"), [
    ("2019-01-01", SIGNED_IN_2018 | UNDATED),
    ("2025-12-31", ALL_SOURCES),  # the 淮北 plan's last day
    ("2026-01-01", ALL_SOURCES - {"seeds/002_a49a57821bd4ff1c.txt"}),
])
def test_policies_in_force_on_a_date(sample: Loaded, on: str, expected: set[str]) -> None:
    found = {r["政策"] for r in rows(sample, "policies_in_force", on=on)}
    assert found == {title_of(sample, source) for source in expected}


# ---------------------------------------------------------------- entities


def test_platform_operators_lists_the_gold_platforms(sample: Loaded) -> None:
    found = rows(sample, "platform_operators")
    assert sorted(r["平台"] for r in found) == sorted(entity_gold()["platforms"])


def test_programme_departments_lists_gold_programmes_and_their_policies(sample: Loaded) -> None:
    """Every programme row is a gold programme (at most one gold programme missed: the extractor's recall
    that tests/loaders/test_entity_gold.py prints), and a programme's row names the policies the gold says
    carry it out."""
    expected = entity_gold()
    found = {r["专项行动"]: r for name in expected["programmes"]
             for r in rows(sample, "programme_departments", programme=name)}
    assert set(found) <= set(expected["programmes"])
    assert len(set(expected["programmes"]) - set(found)) <= 1
    for source, target in expected["implements"]:
        if target in found:
            assert title_of(sample, source) in found[target]["政策"], (source, target)
    (row,) = rows(sample, "programme_departments", programme="百城百园")
    assert row["专项行动"] == "百城百园行动"
    assert title_of(sample, "seeds/000_ea2e05c557d4a99d.txt") in row["政策"]


def test_reporting_chain_of_the_ministry_of_science(sample: Loaded) -> None:
    """The gold's reporting lines that end at 科学技术部 (seeds/000: 各省级科技部门, 各省级财政部门 报科技部)."""
    expected = {(sender, recipient) for _, sender, recipient in entity_gold()["reports_to"]
                if "科学技术部" in (sender, recipient)}
    found = rows(sample, "reporting_chain", department="科学技术部")
    pairs = {(r["报送链"]["nodes"][0]["properties"]["name"], r["报送链"]["nodes"][-1]["properties"]["name"])
             for r in found if r["级数"] == 1}
    assert pairs == expected


def test_region_contents_of_anhui(sample: Loaded) -> None:
    """安徽省 holds 淮北市, the 淮北 plan (the sample's only 安徽 document) and every body its gold names."""
    found = {r["类型"]: r for r in rows(sample, "region_contents", region="安徽省")}
    assert found["地区"]["名称"] == ["淮北市"]
    assert found["政策"]["名称"] == [title_of(sample, "seeds/002_a49a57821bd4ff1c.txt")]
    named = {huaibei_name(u) for r in gold(HUAIBEI) for u in r["lead"] + r["support"]}
    assert named <= set(found["部门"]["名称"])


def test_policy_lineage_finds_no_chain_the_gold_does_not_have(sample: Loaded) -> None:
    """No sample document cites or carries out another loaded sample document (entity gold), so the
    lineage query has no rows on the sample; tests/graph/test_lineage.py checks it on a real chain."""
    expected = entity_gold()
    loaded_titles = {r[0] for r in sample.store.read("MATCH (p:Policy) WHERE p.version IS NOT NULL "
                                                     "RETURN p.title").rows}
    assert not [t for _, t in expected["cites"] + expected["implements"] if t in loaded_titles]
    for keyword in ("科技", "意见", "通知", "方案"):  # between them, every loaded title
        assert rows(sample, "policy_lineage", policy=keyword) == []


def test_issuer_network_links_each_issuer_to_its_policies(sample: Loaded) -> None:
    """ISSUED edges as the documents are signed (seeds/000 by 科技部办公厅 and 财政部办公厅 together)."""
    found = rows(sample, "issuer_network", limit="1000")
    issued = {(r["起点"]["properties"]["name"], r["政策"]["properties"]["source"])
              for r in found if r["关系"]["type"] == "ISSUED"}
    for pair in [("科技部办公厅", "seeds/000_ea2e05c557d4a99d.txt"), ("财政部办公厅", "seeds/000_ea2e05c557d4a99d.txt"),
                 ("国务院", "extra/01_gwy_nongji-zhuangbei-chanye_2018.txt"),
                 ("国务院办公厅", "extra/16_gwyb_fangguanfu-fengong-fangan_2020.txt"),
                 ("江西省市场监督管理局", "extra/23_jiangxi-scjg_yingdui-yiqing-jushi_2020.txt"),
                 ("浙江省科技领导小组办公室", "seeds/003_ec5392306e21f47a.txt")]:
        assert pair in issued, pair
    assert not [p for p in issued if p[1] == "seeds/002_a49a57821bd4ff1c.txt"]  # it names no issuer


def test_lead_departments_by_keyword_finds_the_one_pilot_base_measure(sample: Loaded) -> None:
    """中试基地 is written in one measure of the sample corpus (seeds/002, the paragraph 推进中试基地建设 that
    ends 基地认定的给予奖励。(牵头单位:市科技局,…)); the gold's record for it names that lead."""
    (record,) = [r for r in gold(HUAIBEI) if r["before"].endswith("基地认定的给予奖励。")]
    found = rows(sample, "lead_departments_by_keyword", keyword="中试基地")
    assert [(r["部门"], r["牵头措施数"], r["政策"]) for r in found] == [
        (huaibei_name(record["lead"][0]), 1, [title_of(sample, "seeds/002_a49a57821bd4ff1c.txt")])]
