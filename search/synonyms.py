"""Words staff type for what documents write in full, and the reverse: common abbreviations of Chinese policy
language (综保区 / 综合保税区, 高企 / 高新技术企业, 双碳 / 碳达峰碳中和 …), each a ring of equivalent forms.

A typed word that is one form of a ring also matches the other forms (search.querylang), so a query in the
short form finds the documents that write the long one and the other way round. The rings hold only forms
that mean one thing in policy text: an abbreviation that is also an everyday word stays out.
"""

from __future__ import annotations

from functools import lru_cache

from search.analyzer import fold

RINGS: tuple[tuple[str, ...], ...] = (
    ("综保区", "综合保税区"),
    ("自贸区", "自贸试验区", "自由贸易试验区"),
    ("高企", "高新技术企业"),
    ("高新区", "高新技术产业开发区"),
    ("经开区", "经济技术开发区"),
    ("双创", "大众创业万众创新"),
    ("双碳", "碳达峰碳中和"),
    ("新基建", "新型基础设施"),
    ("国企", "国有企业"),
    ("民企", "民营企业"),
    ("中小企业", "中小微企业"),
    ("科技型中小企业", "科小"),
    ("知产", "知识产权"),
    ("文旅", "文化和旅游", "文化旅游"),
    ("医保", "医疗保障"),
    ("社保", "社会保险"),
    ("公积金", "住房公积金"),
    ("三农", "农业农村农民"),
    ("环评", "环境影响评价"),
    ("能评", "节能评估"),
    ("个税", "个人所得税"),
    ("加计扣除", "研发费用加计扣除"),
    ("垃圾分类", "生活垃圾分类"),
    ("孵化器", "科技企业孵化器"),
    ("产学研", "产学研合作", "产学研用"),
    ("人工智能", "AI"),
    ("营商", "营商环境"),
    ("招商", "招商引资"),
    ("稳岗", "稳定就业岗位", "稳岗位"),
    ("放管服", "简政放权、放管结合、优化服务"),
    ("一网通办", "一网办"),
)


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for ring in RINGS:
        folded = tuple(dict.fromkeys(fold(w).strip().lower() for w in ring))
        for w in folded:
            out[w] = tuple(x for x in folded if x != w)
    return out


def others(word: str) -> tuple[str, ...]:
    """The other forms of the ring `word` belongs to (folded), or () when it belongs to none."""
    return _index().get(fold(word).strip().lower(), ())
