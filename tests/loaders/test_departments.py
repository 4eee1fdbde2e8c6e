"""Department resolution: region + official name, aliases merged, look-alikes and regions kept apart."""

from core.regions import region
from loaders.departments import Resolver


def _name(reg: str, mention: str) -> str:
    return Resolver(region(reg)).resolve(mention).name


def test_city_and_province_abbreviations():
    assert _name("淮北市", "市科技局") == "淮北市科学技术局"
    assert _name("浙江省", "省科技厅") == "浙江省科学技术厅"
    assert _name("淮北市", "省科技厅") == "安徽省科学技术厅"


def test_national_bodies():
    assert _name("全国", "科技部") == "科学技术部"
    assert _name("全国", "中国科协") == "中国科学技术协会"
    assert _name("淮北市", "科技部") == "科学技术部"


def test_same_surface_form_in_two_regions_differs():
    assert _name("淮北市", "市科技局") != _name("合肥市", "市科技局")


def test_aliases_merge():
    names = {_name("淮北市", m) for m in ("市人社局", "市人力资源社会保障局", "市人力资源和社会保障局")}
    assert names == {"淮北市人力资源和社会保障局"}
    assert _name("浙江省", "省市场监管局") == _name("浙江省", "省市场监督管理局")


def test_look_alikes_stay_apart():
    assert _name("淮北市", "市经济和信息化局") != _name("淮北市", "市工业和信息化局")


def test_groups_kept_whole():
    res = Resolver(region("浙江省")).resolve("各市、县(市、区)")
    assert res.kind == "group" and res.name == "浙江省各市、县(市、区)"
    res = Resolver(region("淮北市")).resolve("市委人才工作领导小组成员单位")
    assert res.kind == "group"


def test_dropped_prefix_inherits_level():
    got = Resolver(region("浙江省")).resolve_list(["省发改委", "工信厅", "自然资源厅"])
    assert [r.name for r in got] == ["浙江省发展和改革委员会", "浙江省工业和信息化厅", "浙江省自然资源厅"]


def test_divisions_part_of_parent():
    resolver = Resolver(region("江西省"), issuer="江西省市场监督管理局")
    got = resolver.resolve_list(["省局行政审批处", "登记注册局"])
    assert [r.kind for r in got] == ["division", "division"]
    assert {r.parent for r in got} == {"江西省市场监督管理局"}
    assert Resolver(region("浙江省")).resolve("省科技厅政策法规处").parent == "浙江省科学技术厅"


def test_region_hierarchy():
    assert region("淮北市").province == "安徽省"
    assert region("淮北").name == "淮北市"
