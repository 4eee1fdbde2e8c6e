"""The self-check: units written where assignments are written but on no measure are reported, a document that
names units but yields no assignment is flagged (load summary, /api, policy page), and `extract --explain`
says which reading assigned each unit. Real documents through the real CLI; one hand-written failure case."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from loaders.extract import extract_bytes, extract_path
from loaders.load import load_files
from search.index import SearchIndex
from settings import ROOT

REAL = ROOT / "tests" / "corpus" / "real" / "docs"
# Units in a bracket inside a running sentence: no tag, no assignment the extractor can read.
UNREAD = ("关于开展联合检查的通知\n各区：\n为做好检查工作，会议请（市科技局、市财政局、市教育局）派员参加并提供材料。\n"
          ).encode()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "loaders", "extract", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_well_read_real_document_has_full_coverage_and_no_warning():
    out = _cli(str(REAL / "m03_national_zimaoqu-gaige-chuangxin_2018.txt"))
    check = json.loads(out.stdout)["selfcheck"]
    assert check["candidates"] >= 10 and check["coverage"] >= 0.95, check
    assert check["warnings"] == [] and check["measures"] == len(json.loads(out.stdout)["measures"])


def test_units_written_as_assignments_but_read_as_none_are_flagged():
    ex = extract_bytes(UNREAD, "unread.txt")
    check = ex.selfcheck
    assert not any(m.lead or m.support for m in ex.measures)
    assert set(check.unassigned) == {"市科技局", "市财政局", "市教育局"} and check.coverage == 0.0
    assert len(check.warnings) == 1 and "未识别出任何牵头或配合分工" in check.warnings[0]


def test_partly_read_documents_name_the_units_left_over():
    ex = extract_path(REAL / "j03_shanghai_chongming-jiti-jianshe-yongdi-rushi_2023.txt")
    check = ex.selfcheck
    on_measures = {u.mention for m in ex.measures for u in m.lead + m.support}
    assert check.unassigned and not set(check.unassigned) & on_measures
    assert check.assigned + len(check.unassigned) == check.candidates


def test_explain_names_the_reading_of_every_unit():
    out = _cli("--explain", str(REAL / "o02_shandong_jinan-kechuang-jinan_2021.txt"),
               str(REAL / "k04_shanghai_jianzhu-laji-guanli_2024.txt"))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "rule: labelled" in text and "rule: subject" in text and text.count("self-check:") == 2
    # every measure that names units says which reading assigned them
    blocks = re.split(r"\n  \d+\. ", text)
    with_units = [b for b in blocks if "\n     lead " in b or "\n     support " in b]
    assert len(with_units) > 30 and all("\n     rule: " in b for b in with_units)


def test_the_load_summary_lists_flagged_documents(store, tmp_path: Path):
    bad = tmp_path / "unread.txt"
    bad.write_bytes(UNREAD)
    good = REAL / "m03_national_zimaoqu-gaige-chuangxin_2018.txt"
    index = SearchIndex(tmp_path / "index")
    try:
        summary = load_files([bad, good], store, index).as_dict()
    finally:
        index.close()
    flagged = summary["flagged"]
    assert [f["source"] for f in flagged] == [str(bad)]
    assert "未识别出任何牵头或配合分工" in flagged[0]["warnings"][0]


def test_validity_is_read_from_the_text():
    from loaders.metadata import validity

    assert validity("本意见自2023年1月1日起施行，有效期至2025年12月31日。", None) == ("2023-01-01", "2025-12-31")
    assert validity("本办法自印发之日起施行，有效期5年。", "2022-03-15") == ("2022-03-15", "2027-03-14")
    assert validity("本方案自发布之日起实施，有效期三年。", "2021-06") == ("2021-06", "2024-05")
    assert validity("证照有效期届满前办理延续。", "2020-01-01") == (None, None)
    doc = json.loads(_cli(str(REAL / "o02_shandong_jinan-kechuang-jinan_2021.txt")).stdout)["document"]
    assert doc["valid_until"] == "2025-12-31"
