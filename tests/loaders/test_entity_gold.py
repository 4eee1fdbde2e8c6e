"""Programmes, platforms, REPORTS_TO, CITES and IMPLEMENTS of the loaded sample corpus against the hand-checked
gold (tests/corpus/entities/sample_gold.json): precision at least 0.95 for each type."""

from __future__ import annotations

import pytest

from loaders.names import balanced, is_concept, programme_name, well_formed
from tests.conftest import REPORTS
from tests.corpus.entities.score import gold, predicted, score, table
from tests.sample import Loaded

FLOOR = 0.95


def test_entity_precision_floor_per_type(sample: Loaded) -> None:
    result = score(gold(), predicted(sample.store))
    REPORTS.append("entity gold (sample corpus)\n" + table(result))
    low = {t: (r["precision"], r["fp"]) for t, r in result.items() if r["precision"] < FLOOR}
    assert not low, low
    assert all(r["recall"] > 0.5 for r in result.values()), table(result)


def test_a_wrong_entity_lowers_the_score() -> None:
    expected = gold()
    found = {t: set(v) for t, v in expected.items()}
    found["platforms"].add(("中国信保小微企业服务等平台",))
    result = score(expected, found)
    assert result["platforms"]["precision"] < 1.0 and result["programmes"]["precision"] == 1.0


def test_loaded_names_are_well_formed(sample: Loaded) -> None:
    rows = sample.store.read("MATCH (a)-[:REPORTS_TO]->(b) RETURN a.name, b.name").rows
    rows += sample.store.read("MATCH (n) WHERE n:Programme OR n:Platform RETURN n.name AS a, n.name AS b").rows
    bad = [name for row in rows for name in row if not balanced(name) or name.startswith(("告", "报"))]
    assert rows and not bad
    names = sample.store.read("MATCH (d:Department) RETURN d.name").rows
    assert ["南昌市海关"] not in names and ["北京市冬奥组委"] not in names


@pytest.mark.parametrize("name, ok", [
    ("羚羊工业互联网平台", True), ("中国信保小微企业服务等平台", False), ("最多跑一地的重要平台", False),
    ("双创平台", False), ("互联网+社区公共服务平台", False), ("(各地区、各部门", False),
    ("江西省小微客户融资服务平台", True), ("一云一池三平台", False),
])
def test_name_well_formedness(name: str, ok: bool) -> None:
    assert well_formed(name, "平台") is ok


def test_a_term_used_before_many_nouns_is_a_concept() -> None:
    text = "推动“双创”政策落地、扶持“双创”支撑平台、构建“双创”发展生态、打造“双创”升级版"
    assert is_concept("双创", text) and not is_concept("羚羊", "推广应用“羚羊”平台")


@pytest.mark.parametrize("name, word, ok", [
    ("改造功能、改革机制工程", "工程", True), ("守底线、划区域、定范围、有计划", "计划", False),
    ("百城百园行动", "行动", True), ("(百城百园行动", "行动", False), ("最多跑一地的行动", "行动", False),
])
def test_programme_names(name: str, word: str, ok: bool) -> None:
    assert programme_name(name, word) is ok


def test_programme_lists_and_halves() -> None:
    from loaders.extract import extract_bytes

    text = ("关于促进消费的实施意见\n\n一、活跃市场\n持续开展“赣品网上行”“双品网购节”“村播计划”等活动。"
            "组织实施“百城百园”行动，实施“百城”行动名单，实施“百园”行动名单。\n")
    ex = extract_bytes(text.encode("utf-8"), "x.txt")
    programmes = sorted(e.name for e in ex.entities if e.type == "Programme")
    assert programmes == ["双品网购节", "村播计划", "百城百园行动", "赣品网上行"]
