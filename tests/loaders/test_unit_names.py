"""Names the unit recogniser must and must not take for a unit (loaders.unitlex)."""

from __future__ import annotations

import pytest

from loaders.unitlex import is_unit


@pytest.mark.parametrize("name", ["曹家渡街道", "南京西路街道", "彭浦镇", "市查处无证无照经营工作领导小组",
                                  "各项目实施主体", "山东、浙江公司", "供销合作总社",
                                  # other names in angle brackets; places sharing a body; counties; a task force
                                  "市住建局〈市人防办〉", "各县<市、区>政府", "金井、澳前片区开发管理局", "掇刀区",
                                  "荆门高新区·掇刀区", "省推进项目建设“三级”联动协调机制工作专班"])
def test_units(name: str) -> None:
    assert is_unit(name), name


@pytest.mark.parametrize("name", ["城市街道", "主要街道", "老旧街道", "社区和街道", "江南古镇", "历史文化名镇",
                                  "工业强镇", "特色小镇", "属地街镇发现建筑垃圾倾倒河道线索并移交执法部门",
                                  # a unit then what it must do; two-character county names that are words
                                  "各乡镇人民政府要制定并公布本部门", "城区", "和县", "市科技局推进"])
def test_not_units(name: str) -> None:
    assert not is_unit(name), name
