"""End to end on the sample corpus: key facts, offsets, and the official scorer's targets."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.text import match_text
from loaders.extract import extract_path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "sample_corpus" / "seeds"
EXTRA = ROOT / "sample_corpus" / "extra"
GOLD = ROOT / "tests" / "gold"  # the shared development gold and its scorer, copied unchanged
OWN_GOLD = Path(__file__).with_name("gold")


@pytest.fixture(scope="module")
def huaibei():
    return extract_path(SEEDS / "002_a49a57821bd4ff1c.txt")


def test_huaibei_pilot_base_led_by_city_science_bureau(huaibei):
    (m,) = [m for m in huaibei.measures if "中試基地" in m.text]
    assert m.lead[0].mention == "市科技局"
    assert m.lead[0].name == "淮北市科学技术局"
    assert huaibei.document.region == "淮北市"


def test_huaibei_display_text_repaired_traditional(huaibei):
    text = huaibei.document.text
    assert "(zhuǎn)" not in text and "轉移轉化" in text
    assert "專款專用、不納入" in text
    assert "(NQI)" in text
    assert "政策免費指導" not in text  # hotline boilerplate


def test_spans_index_display_text(huaibei):
    text = huaibei.document.text
    for m in huaibei.measures:
        assert text[m.span[0]:m.span[1]] == m.text
        assert m.text and "牽頭單位" not in m.text
    assert len(match_text(text)) == len(text)


def test_zhejiang():
    ex = extract_path(SEEDS / "003_ec5392306e21f47a.txt")
    names = {u.name for m in ex.measures for u in m.lead + m.support if u.mention == "省科技厅"}
    assert names == {"浙江省科学技术厅"}
    assert "2020年12月底前" in ex.document.text
    assert ex.measures[0].deadline == "2020-06"
    assert "国家科技成果网 首页" not in ex.document.text


def test_relations_have_known_types_and_evidence(huaibei):
    ids = {e.id for e in huaibei.entities} | {m.id for m in huaibei.measures} | {huaibei.document.id}
    for rel in huaibei.relations:
        assert rel.from_id in ids and rel.to_id in ids
        if rel.type in ("LEADS", "SUPPORTS"):
            ev = rel.evidence
            assert huaibei.document.text[ev.start:ev.end] == ev.text


def test_metadata_of_a_gov_cn_page():
    ex = extract_path(EXTRA / "01_gwy_nongji-zhuangbei-chanye_2018.txt")
    doc = ex.document
    assert doc.title == "国务院关于加快推进农业机械化和农机装备产业转型升级的指导意见"
    got = (doc.doc_number, doc.date, doc.region, doc.issuers)
    assert got == ("国发〔2018〕42号", "2018-12-21", "全国", ["国务院"])


def _score(gold: Path, docs: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(GOLD / "score.py"), str(gold), str(docs), "--", sys.executable, "-m",
         "loaders", "extract"], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    ).stdout
    lead = float(re.search(r"^lead F1 ([\d.]+)", out, re.M).group(1))
    involved = float(re.search(r"involved F1 ([\d.]+); deadlines", out).group(1))
    dl_ok, dl_n = map(int, re.search(r"deadlines (\d+)/(\d+)", out).groups())
    return {"lead": lead, "involved": involved, "deadlines_ok": dl_ok == dl_n}


@pytest.mark.parametrize(("gold", "docs"), [(GOLD, SEEDS), (OWN_GOLD, EXTRA)])
def test_scorer_targets(gold, docs):
    got = _score(gold, docs)
    assert got["lead"] >= 0.98 and got["involved"] >= 0.97 and got["deadlines_ok"], got


def test_two_level_division_of_labour_plan():
    out = subprocess.run(
        [sys.executable, str(GOLD / "score.py"), str(OWN_GOLD), str(EXTRA), "--", sys.executable, "-m",
         "loaders", "extract"], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("16_gwyb_fangguanfu"))
    assert re.search(r"measures 100/100", line), line  # 99 tagged measures and the closing 国务院办公厅 paragraph
    assert float(re.search(r"lead F1 ([\d.]+)", line).group(1)) >= 0.98, line
    ex = extract_path(EXTRA / "16_gwyb_fangguanfu-fengong-fangan_2020.txt")
    first = ex.measures[0]
    assert first.text.startswith("研究将财政资金直达机制") and first.section.endswith("（一）")
    assert not any(m.text.startswith("具体措施") for m in ex.measures)
