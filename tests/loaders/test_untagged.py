"""Documents without agency tags: numbered task items become measures; units only from what the prose says."""

from pathlib import Path

from loaders.extract import extract_bytes, extract_path
from loaders.metadata import read_metadata

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "sample_corpus" / "seeds"





def _one(ex, needle):
    found = [m for m in ex.measures if needle in m.title + m.text]
    assert len(found) == 1, [m.title for m in found]
    return found[0]


def test_task_sections_become_measures(hundred_cities):
    titles = [m.title for m in hundred_cities.measures]
    # The third item gives its work to two units in turn (科技部将… / 省级科技主管部门要…): two measures.
    assert titles[:5] == ["开展“百城”先进技术成果推广应用", "开展“百园”先进技术成果推广应用",
                          "做好先进技术成果信息共享与服务工作", "", "切实提升科技成果转化服务能力"]
    assert [u.mention for u in hundred_cities.measures[3].lead] == ["省级科技主管部门"]
    # 实施内容 (4 items, one split) and 组织实施 (3 items); nothing from 总体要求 or the attachment list.
    assert len(hundred_cities.measures) == 8
    assert not any("习近平总书记关于疫情防控" in m.text for m in hundred_cities.measures)
    assert not any("名单信息" in m.title for m in hundred_cities.measures)
    for m in hundred_cities.measures:
        assert hundred_cities.document.text[m.span[0]:m.span[1]] == m.text


def test_prose_actor_leads_only_when_named(hundred_cities):
    platform = _one(hundred_cities, "做好先进技术成果信息共享与服务工作")
    assert [(u.mention, u.name) for u in platform.lead] == [("科技部", "科学技术部")]
    # The item's next sentence gives other work to the provinces: a measure of its own, led by them.
    assert platform.support == []
    demand = hundred_cities.measures[hundred_cities.measures.index(platform) + 1]
    assert [(u.mention, u.name) for u in demand.lead] == [("省级科技主管部门", "各省级科技部门")]
    assert demand.text.startswith("省级科技主管部门要及时梳理")
    # 以国家创新型城市(县市)为实施主体 names no acting department: no lead is guessed.
    assert _one(hundred_cities, "开展“百城”先进技术成果推广应用").lead == []
    assert _one(hundred_cities, "切实提升科技成果转化服务能力").lead == []  # 各地要… is not a department


def test_shared_suffix_in_prose(hundred_cities):
    support = _one(hundred_cities, "省级科技、财政部门要加强对")
    assert [u.name for u in support.lead] == ["各省级科技部门", "各省级财政部门"]
    assert [u.name for u in support.support] == ["科学技术部", "财政部"]
    groups = {e.name: e for e in hundred_cities.entities if e.kind == "group"}
    assert "各省级科技部门" in groups and groups["各省级科技部门"].type == "Department"


def test_top_level_items_of_a_notice(zones):
    assert len(zones.measures) == 7
    first = zones.measures[0]
    assert "以实施“百城百园”行动为抓手" in first.text and first.lead == []  # 示范区要… is not a department
    last = zones.measures[-1]
    assert [u.name for u in last.lead] == ["科学技术部"]  # 科技部按照区域创新战略布局…
    assert not any("各级科技部门要加强管理服务" in m.text for m in zones.measures)


def test_numbered_tasks_and_bullets(cast):
    titles = [m.title for m in cast.measures]
    assert titles[0] == "打造“科創中國”科技經濟融通平臺"  # display text keeps the original script
    # 重点任务 1-6 and the four —— items of 实施保障, the first of which gives work to three bodies in turn
    # (中国科协成立… / 全国学会成立… / 省级科协会同…) and the second to two (中国科协与相关省…签订… /
    # 省级科协加强统筹…): one measure each.
    assert len(titles) == 13
    agree = cast.measures[titles.index("深化會地合作"):][:2]
    assert [[u.name for u in m.lead] for m in agree] == [["中国科学技术协会"], ["各省级科协"]]
    organise = cast.measures[titles.index("加強組織領導"):][:3]
    assert [[u.name for u in m.lead] for m in organise] == [["中国科学技术协会"], ["全国学会"], ["各省级科协"]]
    assert "加強組織領導" in titles and "強化過程管理" in titles
    assert not any("4月上旬" in m.text for m in cast.measures)  # 进度安排 is a schedule
    assert not any("以地級市為重點" in m.text for m in cast.measures)  # 总体要求
    # Items whose text opens with units (全國學會組建… / 全國學會、省級科協圍繞…) are theirs; the others name none.
    assert [[u.name for u in m.lead] for m in cast.measures[:6]] == [[], [], ["全国学会"], ["全国学会"], [], []]
    assert [u.name for u in cast.measures[3].support] == ["各省级科协"]


def test_tagged_documents_get_no_untagged_items():
    for name in ("002_a49a57821bd4ff1c.txt", "003_ec5392306e21f47a.txt"):
        ex = extract_path(SEEDS / name)
        assert ex.measures and all(m.lead for m in ex.measures), name
    ex = extract_path(SEEDS / "002_a49a57821bd4ff1c.txt")
    assert not any(m.title == "指导思想" or "指導思想" in m.title for m in ex.measures)


def test_title_derived_from_opening_sentence(hundred_cities):
    doc = hundred_cities.document
    assert doc.title == "科技部办公厅 财政部办公厅关于开展“科技抗疫-先进技术推广应用‘百城百园’行动”的通知"
    assert doc.issuers == ["科技部办公厅", "财政部办公厅"]
    assert any("title derived" in w for w in hundred_cities.warnings)
    assert doc.addressees[0].startswith("各省、自治区、直辖市及计划单列市科技厅")


def test_no_title_no_issuer_is_a_warning(zones):
    assert zones.document.title == ""
    assert zones.document.issuers == []
    assert "no title found" in zones.warnings
    assert any(w.startswith("no issuer found") for w in zones.warnings)


def test_region_in_title_is_not_an_issuer():
    huaibei = extract_path(SEEDS / "002_a49a57821bd4ff1c.txt")
    assert huaibei.document.issuers == []
    assert any(w.startswith("no issuer found") for w in huaibei.warnings)
    meta = read_metadata("淮北市关于印发淮北市加快科技成果转移转化行动方案的通知\n各县区人民政府:\n正文。\n")
    assert meta.issuers == []
    signed = read_metadata("淮北市关于印发淮北市加快科技成果转移转化行动方案的通知\n各县区人民政府:\n正文。\n"
                           "淮北市人民政府\n2023年3月1日\n")
    assert signed.issuers == ["淮北市人民政府"]


def test_untagged_text_without_task_sections_has_no_measures():
    text = "关于做好统计工作的通知\n各单位:\n请按时报送统计数据。\n某某局\n2020年1月2日\n".encode()
    assert extract_bytes(text, "plain.txt").measures == []
