"""The department-name knowledge base (core/data/department_names.json) and how query words are read with it."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from core.deptnames import _NAMES, expand, knowledge, read_name
from core.regions import region
from loaders.departments import Resolver


def _entries() -> list[dict]:
    data = json.loads(_NAMES.read_text(encoding="utf-8"))
    return [*data["national"], *data["local"]]


def test_every_entry_is_well_formed() -> None:
    data = json.loads(_NAMES.read_text(encoding="utf-8"))
    for entry in data["national"]:
        assert set(entry) <= {"name", "short", "former", "note"}, entry
    for entry in data["local"]:
        assert entry["level"] in ("province", "local", "both"), entry
    for entry in _entries():
        assert entry["name"] and entry["name"] not in entry["short"], entry
        for former in entry.get("former", []):
            assert former["note"] and 1990 < former["year"] <= 2024 and "改革" in former["note"], former
    names = Counter(e["name"] for e in data["national"]) + Counter(e["name"] for e in data["local"])
    assert not [n for n, k in names.items() if k > 1], "one entry per body"


@pytest.mark.parametrize(("short", "official"), [
    ("发改委", "国家发展和改革委员会"), ("国家发展改革委", "国家发展和改革委员会"), ("工信部", "工业和信息化部"),
    ("人社部", "人力资源和社会保障部"), ("住建部", "住房和城乡建设部"), ("卫健委", "国家卫生健康委员会"),
    ("网信办", "国家互联网信息办公室"), ("市场监管总局", "国家市场监督管理总局"),
    ("金融监管总局", "国家金融监督管理总局"),
    ("央行", "中国人民银行"), ("人民银行", "中国人民银行"),
    ("医保局", "国家医疗保障局"), ("药监局", "国家药品监督管理局"),
    ("税务总局", "国家税务总局"), ("知识产权局", "国家知识产权局"), ("科技部", "科学技术部"),
])
def test_national_short_forms(short: str, official: str) -> None:
    reading = read_name(short)
    assert reading is not None and reading.region is None
    assert official in [b.name for b in reading.bodies if b.national and not b.note]


@pytest.mark.parametrize(("short", "official"), [
    ("人社局", "人力资源和社会保障局"), ("科技局", "科学技术局"),
    ("经信局", "经济和信息化局"), ("工信局", "工业和信息化局"),
    ("住建局", "住房和城乡建设局"), ("市监局", "市场监督管理局"), ("市场监管局", "市场监督管理局"),
    ("生态环境局", "生态环境局"), ("自然资源和规划局", "自然资源和规划局"), ("城管委", "城市管理委员会"),
    ("科经委", "科技和经济委员会"), ("建交委", "建设和交通委员会"),
    ("科技厅", "科学技术厅"), ("人社厅", "人力资源和社会保障厅"),
])
def test_local_short_forms(short: str, official: str) -> None:
    reading = read_name(short)
    assert reading is not None
    assert [b.name for b in reading.bodies if not b.note][0] == official


def test_look_alikes_stay_apart() -> None:
    assert expand("经信局") == "经济和信息化局" and expand("工信局") == "工业和信息化局"
    economy, industry = read_name("经信局"), read_name("工信局")
    assert economy and industry
    assert {b.name for b in economy.bodies}.isdisjoint(b.name for b in industry.bodies)
    assert economy.body_of("淮北市经济和信息化局") and not economy.body_of("淮北市工业和信息化局")
    # union-attr (here and below): read_name of a listed short name is never None; the assert would fail if it were
    assert read_name("人社局").body_of("淮北市人力资源和社会保障局")  # type: ignore[union-attr]
    assert not read_name("人社局").body_of("浙江省人力资源和社会保障厅")  # type: ignore[union-attr]


def test_reform_renamings_are_aliases_of_the_successor_with_a_note() -> None:
    old = read_name("银保监会")
    assert old is not None
    successor = next(b for b in old.bodies if b.name == "国家金融监督管理总局")
    assert "2023" in successor.note
    assert any(b.name == "中国银行保险监督管理委员会" and not b.note for b in old.bodies), "the old body as written"
    new = read_name("金融监管总局")
    assert new is not None and any(b.name == "中国银行保险监督管理委员会" and b.note for b in new.bodies)
    committee = read_name("科委")
    assert committee is not None and {b.name for b in committee.bodies} >= {"科学技术局", "科学技术委员会"}
    assert any("2018" in b.note for b in read_name("卫计委").bodies)  # type: ignore[union-attr]


@pytest.mark.parametrize(("typed", "name"), [
    ("淮北市科技局", "淮北市科学技术局"), ("淮北科技局", "淮北市科学技术局"),
    ("安徽省淮北市科技局", "淮北市科学技术局"), ("浙江科技厅", "浙江省科学技术厅"),
    ("浙江省科技厅", "浙江省科学技术厅"), ("淮北市人社局", "淮北市人力资源和社会保障局"),
    ("淮北市数据资源管理局", "淮北市数据资源管理局"),
])
def test_region_and_short_name(typed: str, name: str) -> None:
    reading = read_name(typed)
    assert reading is not None and reading.region is not None
    assert reading.body_of(name) is not None
    assert reading.body_of(name.replace("淮北市", "宿州市").replace("浙江省", "江西省")) is None


def test_level_word_without_region() -> None:
    city = read_name("市人社局")
    assert city is not None and city.level == "市"
    assert city.body_of("淮北市人力资源和社会保障局") and not city.body_of("浙江省人力资源和社会保障局")
    province = read_name("省科技厅")
    assert province is not None and province.body_of("浙江省科学技术厅")
    district = read_name("区科技局")
    assert district is not None and district.body_of("淮北市杜集区科学技术局")
    assert not district.body_of("淮北市科学技术局")


def test_national_bodies_need_no_region_and_topics_are_not_bodies() -> None:
    assert read_name("科技部").body_of("科学技术部")  # type: ignore[union-attr]
    assert not read_name("科技部").body_of("淮北市科学技术局")  # type: ignore[union-attr]
    both = read_name("发改委")
    assert both is not None and both.body_of("国家发展和改革委员会") and both.body_of("淮北市发展和改革委员会")
    for topic in ("中试基地", "科技金融", "科技成果转化", "淮北", "浙江省", "全国"):
        assert read_name(topic) is None, topic


def test_short_forms_used_when_resolving_document_mentions() -> None:
    resolver = Resolver(region("淮北市"))
    assert resolver.resolve("市市监局").name == "淮北市市场监督管理局"
    assert resolver.resolve("市人社局").name == "淮北市人力资源和社会保障局"
    assert resolver.resolve("市经信局").name == "淮北市经济和信息化局"
    assert resolver.resolve("市工信局").name == "淮北市工业和信息化局"
    national = Resolver(region("全国"))
    assert national.resolve("金融监管总局").name == "国家金融监督管理总局"
    assert national.resolve("银保监会").name == "中国银行保险监督管理委员会", "a document is resolved as written"


def test_resolving_short_forms_are_unambiguous() -> None:
    kb = knowledge()
    assert kb.local["人社局"] == "人力资源和社会保障局" and "经信委" not in kb.local
    assert all(official != short for short, official in kb.local.items())
