"""REPORTS_TO, OPERATES, IMPLEMENTS and programme identity across documents, with evidence spans."""

from pathlib import Path

from core.ids import entity_id
from loaders.extract import extract_bytes, extract_path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "sample_corpus" / "seeds"




def _names(ex):
    names = {e.id: e.name for e in ex.entities}
    names[ex.document.id] = "DOC"
    names.update({m.id: m.id for m in ex.measures})
    return names


def _edges(ex, rel_type):
    names = _names(ex)
    return [(names[r.from_id], names[r.to_id], r) for r in ex.relations if r.type == rel_type]


def _check_evidence(ex, rel):
    ev = rel.evidence
    assert ev is not None and ex.document.text[ev.start:ev.end] == ev.text


def test_provincial_departments_report_to_ministry(hundred_cities):
    edges = {(a, b): r for a, b, r in _edges(hundred_cities, "REPORTS_TO")}
    assert ("各省级科技部门", "科学技术部") in edges
    assert ("各省级财政部门", "财政部") in edges
    rel = edges[("各省级科技部门", "科学技术部")]
    _check_evidence(hundred_cities, rel)
    assert "报科技部、财政部" in rel.evidence.text


def test_reports_to_in_a_provincial_document():
    ex = extract_path(SEEDS / "003_ec5392306e21f47a.txt")
    edges = [(a, b) for a, b, _ in _edges(ex, "REPORTS_TO")]
    assert ("浙江省各责任单位", "浙江省科技领导小组办公室") in edges


def test_reports_to_needs_an_acting_department():
    text = ("关于报送数据的通知\n各单位:\n高校院所每年向市科技局报送科技成果转化情况。\n"
            "市财政局要于6月30日前向市政府报告资金使用情况。\n淮北市科学技术局\n2023年1月2日\n").encode()
    ex = extract_bytes(text, "reports.txt")
    edges = [(a, b) for a, b, _ in _edges(ex, "REPORTS_TO")]
    assert edges == [("淮北市财政局", "淮北市人民政府")]


def test_ministry_operates_the_platform(hundred_cities):
    (edge,) = _edges(hundred_cities, "OPERATES")
    assert edge[:2] == ("科学技术部", "科技抗疫——先进科技成果信息共享服务平台")
    _check_evidence(hundred_cities, edge[2])
    platform = next(e for e in hundred_cities.entities if e.type == "Platform")
    assert "成果平台" in platform.aliases


def test_operates_from_you_x_fuze():
    text = ("关于建设服务平台的通知\n各单位:\n一、重点任务\n"
            "(一)建设“创新券”服务平台,由市科技局负责建设和运营,市财政局配合做好资金保障。\n"
            "淮北市人民政府\n2023年1月2日\n").encode()
    ex = extract_bytes(text, "operates.txt")
    assert [(a, b) for a, b, _ in _edges(ex, "OPERATES")] == [("淮北市科学技术局", "创新券服务平台")]
    (m,) = ex.measures
    assert [u.name for u in m.lead] == ["淮北市科学技术局"]


def test_programme_is_one_node_across_documents(hundred_cities, zones):
    pid = entity_id("Programme", "百城百园行动")
    assert pid in {e.id for e in hundred_cities.entities}
    assert pid in {e.id for e in zones.entities}
    programme = next(e for e in hundred_cities.entities if e.id == pid)
    assert any("科技抗疫" in a for a in programme.aliases)  # (以下简称“百城百园”行动)
    assert not any(e.type == "Programme" and e.name.startswith("科技抗疫") for e in hundred_cities.entities)
    # A bare “百城百园” is the programme too, not a platform named 百城百园积极应用成果平台.
    assert not any("积极应用" in e.name for e in hundred_cities.entities)


def test_measure_and_policy_implement_programme(zones, hundred_cities):
    pid = entity_id("Programme", "百城百园行动")
    implementing = [r for r in zones.relations if r.type == "IMPLEMENTS" and r.to_id == pid]
    assert {r.from_id for r in implementing} == {zones.measures[0].id, zones.document.id}
    for rel in implementing:
        _check_evidence(zones, rel)
        assert "百城百园" in rel.evidence.text
    assert any(r.type == "IMPLEMENTS" and r.from_id == hundred_cities.document.id and r.to_id == pid
               for r in hundred_cities.relations)


def test_policy_implements_the_policy_it_carries_out():
    ex = extract_path(SEEDS / "002_a49a57821bd4ff1c.txt")
    cited = [(b, r) for a, b, r in _edges(ex, "IMPLEMENTS") if a == "DOC"]
    assert any(b.startswith("安徽省人民政府关于印发安徽省深化科技创新体制机制改革") for b, _ in cited)
    for _, rel in cited:
        _check_evidence(ex, rel)
    # The same Policy node as the CITES edge.
    cites = {r.to_id for r in ex.relations if r.type == "CITES"}
    assert all(r.to_id in cites for _, r in cited)
