"""Department resolution seen through the graph: surface forms merge into one node, regions stay apart."""

from __future__ import annotations

from graph import reads
from graph.store import FalkorStore
from loaders.extract import extract_bytes

HUAIBEI = """淮北市人民政府关于印发淮北市人才发展行动方案的通知
1.完善人才评价。（牵头单位：市人社局，配合单位：市科技局）
2.开展职称改革。（牵头单位：市人力资源社会保障局，配合单位：市经济和信息化局）
3.落实人才待遇。（牵头单位：市人力资源和社会保障局，配合单位：市财政局）
淮北市人民政府
2023年5月1日
"""
HEFEI = """合肥市人民政府关于印发合肥市人才发展行动方案的通知
1.完善人才评价。（牵头单位：市人社局，配合单位：市工业和信息化局）
合肥市人民政府
2023年6月1日
"""


def test_surface_forms_merge_and_regions_stay_apart(store: FalkorStore) -> None:
    for name, text in (("huaibei.txt", HUAIBEI), ("hefei.txt", HEFEI)):
        store.replace_document(extract_bytes(text.encode(), name))
    store.finalize()
    huaibei = reads.find_departments(store, "淮北市人力资源和社会保障局")
    assert len(huaibei) == 1
    view = reads.department(store, huaibei[0].id)
    assert view is not None
    assert {"市人社局", "市人力资源社会保障局", "市人力资源和社会保障局"} <= set(view.aliases) | {view.name}
    assert sum(len(v) for v in view.led.values()) == 3
    hefei = reads.find_departments(store, "合肥市人力资源和社会保障局")
    assert len(hefei) == 1 and hefei[0].id != huaibei[0].id
    # the same short form names two departments, one per region
    assert {u.name for u in reads.find_departments(store, "市人社局")} == {"淮北市人力资源和社会保障局",
                                                                          "合肥市人力资源和社会保障局"}
    # look-alikes stay apart: 经济和信息化局 (淮北) is not 工业和信息化局 (合肥)
    names = {r[0] for r in store.read("MATCH (d:Department) RETURN d.name").rows}
    assert {"淮北市经济和信息化局", "合肥市工业和信息化局"} <= names
