"""The policy page marks what the loader repaired and lists what the policy cites or implements."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from core.text import to_simplified
from graph import reads
from loaders.extract import extract_path
from tests.sample import HUAIBEI_PLAN, ZHEJIANG_PLAN, Loaded
from webapp.spans import segments


def _policy_id(sample: Loaded, title_part: str) -> str:
    return next(r[0] for r in sample.store.read("MATCH (p:Policy) WHERE p.version IS NOT NULL "
                                                "RETURN p.id, p.title").rows if title_part in r[1])


def test_repaired_mojibake_is_marked_in_the_text(client: FlaskClient, sample: Loaded) -> None:
    ex = extract_path(HUAIBEI_PLAN)
    fixed = next(r.after for r in ex.repairs if r.kind == "mojibake")  # 專款專用、不納, from the loader itself
    pid = _policy_id(sample, "淮北")
    html = client.get(f"/policies/{pid}").get_data(as_text=True)  # simplified by default
    assert re.search(r'<mark class="repair" title="已修复乱码">' + re.escape(to_simplified(fixed)) + "</mark>", html)
    original = client.get(f"/policies/{pid}?script=original").get_data(as_text=True)
    assert re.search(r'<mark class="repair" title="已修复乱码">' + re.escape(fixed) + "</mark>", original)
    pinyin = sum(1 for r in ex.repairs if r.kind == "pinyin")
    assert f"已删除拼音注音 {pinyin} 处" in html


def test_added_nian_is_marked(client: FlaskClient, sample: Loaded) -> None:
    ex = extract_path(ZHEJIANG_PLAN)
    html = client.get(f"/policies/{ex.document.id}").get_data(as_text=True)
    assert html.count('title="已补“年”字"') == sum(1 for r in ex.repairs if r.kind == "dropped_nian") > 0


def test_measure_anchor_ids_stay_unique_when_repairs_split_a_measure() -> None:
    pieces = segments("甲乙丙丁戊", [(0, 5, 7)], [[1, 2, "mojibake", "??"], [3, 3, "pinyin", "(x)"]])
    assert [p.text for p in pieces if p.measure == 7] == ["甲", "乙", "丙", "丁戊"]
    assert [p.repair for p in pieces if p.text == "乙"] == ["mojibake"]
    assert [p.removed for p in pieces if p.removed] == ["(x)"]


def test_policy_lists_what_it_implements(client: FlaskClient, sample: Loaded) -> None:
    pid = _policy_id(sample, "淮北")
    view = reads.policy(sample.store, pid)
    assert view is not None
    targets = [link["name"] for link in view.links if link["type"] == "IMPLEMENTS" and link["out"]]
    assert any("安徽省深化科技创新体制机制改革" in name for name in targets)
    html = client.get(f"/policies/{pid}").get_data(as_text=True)
    assert 'id="links"' in html and "贯彻落实" in html
