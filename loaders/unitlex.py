"""Unit recogniser: is a short string a government body, company, collective or division — by its structure.

A unit name is built from parts: an optional region or level prefix (浙江省 / 淮北 / 省 / 市 / 区 / 镇), a
functional stem (科技, 发展改革, 人力资源社会保障 …) and a body suffix (部 / 委 / 厅 / 局 / 办 / 署 / 院 /
中心 / 管委会 / 海关 / 银行 / 公司 / 政府 / 领导小组 …). Collectives name a set of units (各县区人民政府,
国务院相关部门, 市直有关单位, 领导小组成员单位). Standard short forms (发改委, 工信部, 人社局) come from the
department table. This decides whether a bracketed or written list is an assignment, whatever words surround
it, so a wording nobody wrote a rule for is still read when its items are units.

Works on match text (simplified, half-width).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from core.deptnames import TABLES
from core.regions import region_prefix

GOVERNMENT, COMPANY, COLLECTIVE, DIVISION = "government", "company", "collective", "division"

_DATA = TABLES  # core/data/departments.json
_COUNTIES = TABLES.with_name("counties.json")  # every county-level division (districts, counties, county cities)
# Body suffixes that end a unit name, longest first so that 委员会 wins over 会.
_BODY = (
    "领导小组办公室|领导小组|工作小组|工作专班|专班|指挥部办公室|指挥部|管理委员会|委员会|管委会|安委会|居委会|村委会|工委|办公室|办公厅|人民政府|政府|"
    "总局|总署|分局|支局|中心支行|支行|分行|银行|监管局|海关|总队|支队|大队|研究院|科学院|研究所|集团|公司|中心|"
    "大学|学院|协会|学会|联合会|商会|贸促会|红十字会|社科联|科协|工商联|工会|团委|妇联|残联|侨联|文联|法院|检察院|部门|委|厅|局|办|部|署|院|处|科|室|所|站|社"
)
_BODY_END = re.compile(rf"(?:{_BODY})$")
# Last characters a unit's name can end with (the body suffixes' and level words' last characters): where a
# scan for names in running text tries a name's end.
NAME_END = frozenset("局委厅办部署院府心室处科所站社组班司行关队团会联协盟政区门县市镇乡道")
# A level word or a region written generically (X省 / X市 / X县 / X区 / X州 / X旗 / X镇 / X街道).
_LEVEL = re.compile(r"^(?:省|市|县|区|镇|乡|街道|自治区|州|盟|旗)(?:级|直|委|政府)?")
_GENERIC_REGION = re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:省|市|县|区|州|盟|旗|镇|乡|街道)(?=[\u4e00-\u9fff]{2})")
_NATIONAL = re.compile(r"^(?:国务院|国家|中共中央|中央|全国|中国|人民银行|人行|最高人民|国网|南网)")
_COLLECTIVE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,6}?各|有关|相关|所在|沿线|全省|全市|全县|全区|属地)[\u4e00-\u9fff、()]{0,30}"
    r"(?:部门|单位|政府|地区|地方|机构|县|区|市|镇|街镇|乡|街道|园区|管委会|高校|企业|国企|院所|公司|集团|主体|医院|学校|协会)"
    r"(?:\([^()]{1,12}\))?$|"
    r"成员单位$|^(?:省|市|县|区)直[\u4e00-\u9fff]{0,6}(?:部门|单位)$|"
    r"^国务院[\u4e00-\u9fff]{0,6}(?:部门|单位)$|^各(?:地|级|地区)$|"
    # a level's own departments: 省有关部门 / 区政府相关部门 / 市级有关单位
    r"^(?:省|市|县|区|镇|乡|自治区|州|盟|旗)(?:政府|委|级)?(?:各)?(?:有关|相关)(?:职能)?(?:部门|单位)$|"
    r"^(?:省|市|县|区|设区市|地市)(?:级)?、.*(?:政府|部门|单位)$"
)
# A named sub-district or town (曹家渡街道 / 南京西路街道 / 彭浦镇), not a kind of town (特色小镇 / 重点镇 / 城镇).
_TOWN = re.compile(r"^(?!.*(?:小|城|乡|集|村|古|名|强|重|重点|特色|中心|建制|新型|示范|各|该|本|全)镇$)"
                   r"(?!.*(?:城市|主要|老旧|背|沿|沿线|周边|两侧|特色|历史|商业|步行)街道)"
                   r"(?!各|有关|相关|所在|属地|本|该|全)(?!.*[与及、])(?!.*和(?:街道|镇)$)[\u4e00-\u9fff]{2,6}(?:街道|街道办事处|镇)$")
# A zone's administration named by the zone: 市高新区 / 杭州高新区 / 赣江新区.
_ZONE = re.compile(r"(?:高新区|经开区|开发区|新区|自贸区|综保区|保税区|高新技术产业开发区|经济技术开发区)$")
# Words that end things which are not units: plans, places, enterprises, funds, targets.
_NOT_UNIT_END = re.compile(
    r"(?:企业|项目|平台|基地|工程|计划|行动|资金|基金|政策|实验室|园区|示范区|试验区|开发区|产业|技术|"
    r"服务|体系|机制|制度|标准|目录|清单|名单|部署|年|月|日|号|元|人|个|家|项|次|%)$"
)
_NOT_UNIT = re.compile(
    r"[\d:;,。!?\"《》Ⅰ-Ⅻ]|^(?:以下简称|简称|含|包括|不含|其中|详见|见附件|此件|由|会同|配合|牵头|负责|协助)"
)
# Words that occur in sentences, never inside a unit's name: a string holding one is a clause, not a name
# (严格落实国务院安委 / 对工作中失职失责的领导干部 / 工作专班下设办公室 / 坚持…亲自部署).
_NOT_IN_NAME = re.compile(
    r"的|之间|落实|加强|建立|推进|坚持|开展|严格|完善|推动|鼓励|提升|强化|做好|下设|设在|要求|按照|根据|通过|"
    r"发挥|构建|成立|均需|需要|特殊情况|会同|联合(?!会|体)|牵头|配合|协助|负责|研究|提出|等|报送|上报|提交|审核|认定|接受|"
    r"负责人|同志|干部|亲自|进一步|以及|或|向|督促|统筹(?!城乡|办)|总理|省长|市长|区长|县长|书记|主任|职责|"
    # an article or chapter number run into the name (议事规则第六条领导小组 / 条领导小组办公室)
    r"第[一二三四五六七八九十百零〇\d]+[条章节款]|^[条章节款]|"
    r"^(?:对|由|在|将|要|把|从|和|与|及|为|经(?!济|信|贸|侦|开|管)|请|按|据|如|若|凡|报|以下|本|该|我|跨|其|以|"
    # a verb opening a clause (委托人民调解委员会 / 搭建创新中心 / 聚焦浙江大学 / 拓展部门)
    r"委托|探索|制定|督查|训练|搭建|拓展|支持|聚焦|努力|营造|打造|培育|引导|依托|推广|鼓励|组建|设立|"
    r"线上|线下|加快|深化|创新|优化|围绕|针对|结合|利用|发挥|完善|实施|开展|落实|加强|推动|提升)"
)
# Verbs that look like a one-character stem and a body word (补办 / 督办 …).
_VERBS_LIKE_NAMES = frozenset(
    "补办 督办 交办 承办 主办 协办 举办 创办 开办 兴办 代办 包办 帮办 领办 首办 分办 转办 查办 "
    "会办 快办 即办 网办 通办 掌办".split()
)
# A quoted name must end like a body: 国务院推进政府职能转变和“放管服”改革协调小组办公室 / 区“两旧”专班.
_QUOTED_BODY = re.compile(r"(?:办公室|领导小组|小组|专班|委员会|指挥部|中心)$")
_SCOPE_ONLY = re.compile(r"^(?:其他)?(?:有关|相关)?(?:部门|单位|方面)$|^其他(?:有关|相关)?(?:部门|单位)$")
# Stems of `…部门` that name no particular function.
_GENERIC_STEM = re.compile(r"^(?:各|有关|相关|其他|其它|职能|主管|责任|牵头|配合|参与|上级|下级|本级|同级|业务|执法|"
                           r"行政|政府|"
                           r"[\u4e00-\u9fff]{0,2}(?:有关|相关))?$")
# Words of a clause inside what ends like a one-character body (…所 / …局): not a name.
_CLAUSE_WORD = re.compile(
    r"要|应当|将|须|加快|制订|制定|开展|落实|加强|建立|完善|实施|负责|按照|根据|及时|做好|定期|告知|通知"
)
_MAX_LEN = 40
# Verbs that never stand inside a collective's name: a clause read as one (属地街镇发现…并移交执法部门).
_VERB_INSIDE = re.compile(r"发现|移交|开展|负责|推进|落实|做好|配合|协助|会同|牵头|督促|核实|查处")
# Bodies whose names may hold a verb (市查处无证无照经营工作领导小组 / 市推进…办公室).
_VERB_NAMED_BODY = re.compile(r"(?:领导小组|小组|办公室|指挥部|工作组|专班|委员会|联席会议)$")
_ALIAS = re.compile(r"^([^()]{2,}?)\([^()]{2,30}\)$")


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return frozenset(data["national"])


# Work a task force is named after (省推进项目建设“三级”联动协调机制工作专班 / 市推进…领导小组办公室).
_NAMED_WORK = re.compile(r"推进|推动|建立|完善|加强|开展|提升|构建|强化")


def _verb_in_name(name: str) -> bool:
    """True when a word that no unit name holds sits in `name` (a clause, not a name); a task force of a level
    (省/市/区 …) may be named after its work."""
    bare = _strip_parens(name)
    if not _NOT_IN_NAME.search(bare):
        return False
    if _VERB_NAMED_BODY.search(name) and _LEVEL.match(name):
        return bool(_NOT_IN_NAME.search(_NAMED_WORK.sub("", bare)))
    return True


# Never inside a name: an enumerator (`相关片区管理局常年(二)深化医院`: cells and the next group run together),
# or 由 (`配送具体办法由区市场监督管理局`: a clause; 自由贸易 / 理由 / 事由 are words).
_NOT_A_NAME = re.compile(r"\([一二三四五六七八九十]{1,3}\)|(?<=[\u4e00-\u9fff])(?<![自理缘经事])由")
# A unit, then what it must do: `各乡镇人民政府要制定并公布本部门…` is a clause, not a name.
_MODAL_AFTER_BODY = re.compile(r"(?:政府|局|委|办|厅|部|中心|单位|公司)(?:要|应当?|须|必须)[\u4e00-\u9fff]")
ANGLE_AS_ROUND = str.maketrans("〈〉<>", "()()")
_PLACE_RUN = re.compile(r"^(?P<places>(?:[\u4e00-\u9fff]{2,3}、)+)(?P<unit>[^、]{5,})$")


@lru_cache(maxsize=16384)  # the same few thousand names recur in every document
def unit_kind(text: str) -> str | None:
    """GOVERNMENT, COMPANY, COLLECTIVE or DIVISION when `text` reads as a unit name, else None."""
    name = text.strip()
    if "〈" in name or "<" in name:
        name = name.translate(ANGLE_AS_ROUND)  # 市住建局〈市人防办〉: angle brackets hold the other name too
    if not 2 <= len(name) <= _MAX_LEN or _NOT_UNIT.search(name):
        return None
    if name in _known():
        return GOVERNMENT
    if _SCOPE_ONLY.match(name):
        return None  # 有关部门 / 相关单位 alone name no unit
    alias = _ALIAS.match(name)
    if alias and unit_kind(alias.group(1)):
        return unit_kind(alias.group(1))  # 市水务局(海洋局) / 区委组织部(区公务员局): a unit and its other name
    if _verb_in_name(name) or not _balanced(name) or _MODAL_AFTER_BODY.search(name) or _NOT_A_NAME.search(name):
        return None
    if _VERB_INSIDE.search(_strip_parens(name), 2) and not _VERB_NAMED_BODY.search(name):
        return None  # a clause read as one name (属地街镇发现…线索并移交执法部门)
    if _COLLECTIVE.search(name) or is_region_list(name):
        return None if _unit_list(name) else COLLECTIVE
    if (places := _PLACE_RUN.match(name)) and unit_kind(places.group("unit")) is not None \
            and not any(unit_kind(p) for p in places.group("places").split("、") if p):
        return COLLECTIVE  # 金井、澳前片区开发管理局: places sharing one unit's body (loaders.units)
    if "·" in name and all(unit_kind(part) for part in name.split("·")):
        return GOVERNMENT  # 荆门高新区·掇刀区: two names of one administration
    if name in _counties():
        return GOVERNMENT  # 东宝区 / 忠县: a district's or a county's government
    found = region_prefix(name)
    if found is not None and found[0].name == name and len(name) >= 3:
        return GOVERNMENT  # 杭州市 / 淮北: the region's government
    if _ZONE.search(name) and (_LEVEL.match(name) or found is not None):
        return GOVERNMENT
    if _NOT_UNIT_END.search(name) or _outside_parens(name, "、") or _verb_in_name(name) \
            or name in _VERBS_LIKE_NAMES or _two_units(name) or ("“" in name and not _QUOTED_BODY.search(name)) \
            or _unit_then_clause(name):
        return None
    if _TOWN.match(name):
        return GOVERNMENT  # 曹家渡街道 / 彭浦镇: a sub-district's or a town's government
    body = _BODY_END.search(name)
    if body is None:
        return None
    stem = name[:body.start()]
    if not stem:
        return None
    if len(body.group()) == 1 and stem[-1] in "和及与或、":
        return None  # 国家发展改革委和科(技部): a list cut short, not a 科
    generic_body = len(body.group()) == 1 or body.group() == "部门"
    if generic_body and len(name) > 6 and _CLAUSE_WORD.search(stem, 1):
        return None  # 市农业农村委加快制订…消纳场所 / 绿化市容部门要及时将消纳场所: a clause, not a name
    if body.group() in ("公司", "集团"):
        return COMPANY
    if _GENERIC_STEM.match(_strip_level(stem)) and not (body.group() != "部门" and _LEVEL.match(stem)):
        return None  # 有关部门 / 职能部门 / 市级主管部门 / 有关部: no particular unit (市政府 / 区委 are)
    if _prefixed(name) or _NATIONAL.match(name):
        return DIVISION if body.group() in ("处", "科", "室") and _LEVEL.match(name) is None else GOVERNMENT
    if body.group() == "中心":
        # 国网客服中心 / 政务服务中心: a named centre; 数据中心 / 指挥中心 alone are things, not units.
        return GOVERNMENT if 4 <= len(stem) <= 12 else None
    if body.group() in ("处", "科", "室", "所", "站", "社", "院"):
        # 行政审批处 / 信用监管处: a division of the issuer; 院/所/站/社 alone are too ambiguous.
        return DIVISION if body.group() in ("处", "科", "室") and 2 <= len(stem) <= 10 else None
    # Unprefixed: 财政部 / 发展改革委 / 体育总局 / 网信办 — a short functional stem and a body word.
    return GOVERNMENT if 1 <= len(stem) <= 12 else None


# What a unit named only by its function ends with, when a role word vouches for it (办公室牵头 / 调控中心配合 /
# 综合协调组负责): an organisation's own offices and working groups, written without any prefix.
_ROLE_MARKED_BODY = re.compile(r"(?:办公室|中心|工作组|协调组|[\u4e00-\u9fff]{2}组|部|处|科|室|办|站|所|队|委)$")


def is_role_marked_unit(text: str) -> bool:
    """A unit named only by its function (办公室 / 调控中心 / 综合协调组 / 宣传部), acceptable where a role word
    right after it says it is a unit (`办公室牵头,各供电公司负责`) although it names no place or level."""
    name = text.strip()
    if is_unit(name):
        return True
    if not 2 <= len(name) <= 8 or not re.fullmatch(r"[\u4e00-\u9fff]+", name) or _NOT_UNIT.search(name) \
            or _SCOPE_ONLY.match(name) or _NOT_IN_NAME.search(name) or _VERB_INSIDE.search(name) \
            or _NOT_UNIT_END.search(name) or name in _VERBS_LIKE_NAMES:
        return False
    body = _ROLE_MARKED_BODY.search(name)
    return body is not None and not _GENERIC_STEM.match(name[:body.start()] or "x")


def is_region_list(name: str) -> bool:
    """`山东、江苏、浙江公司` / `济南、青岛、烟台市政府`: regions sharing the last one's body, one collective."""
    parts = _strip_parens(name).split("、")
    if len(parts) < 2 or not all(2 <= len(p) <= 8 for p in parts[:-1]):
        return False
    if not all((r := region_prefix(p)) is not None and r[1] == p for p in parts[:-1]):
        return False
    last = region_prefix(parts[-1])
    return last is not None and len(parts[-1]) > len(last[1]) and unit_kind(parts[-1]) is not None


def _two_units(name: str) -> bool:
    """`市经济信息化委和市生态环境局`: two units joined, not one name (人力资源和社会保障局 is one)."""
    for m in re.finditer("和|及|与", name):
        left, right = name[:m.start()], name[m.end():]
        if _BODY_END.search(left) and unit_kind(left) and unit_kind(right):
            return True
    return False


# Prepositions and modals that follow a subject, never a part of a name.
_AFTER_SUBJECT = re.compile("[在对向将要把从为经按据于]|指导|督促|发现|统筹|协调|组织|推进|牵头|负责|配合|会同")


def _unit_then_clause(name: str) -> bool:
    """`区绿化市容局在区建设管理委` / `区房管局指导街镇…堆放场所`: a whole unit, then a preposition or a verb: a
    clause that ends like a name, not one name."""
    for m in _AFTER_SUBJECT.finditer(name):
        head = name[:m.start()]
        if len(head) >= 3 and _BODY_END.search(head) and is_named_unit(head):
            return True
    # `市科技局举办`: a whole unit, then a verb that only looks like a body (举办 / 督办)
    return name[-2:] in _VERBS_LIKE_NAMES and len(name) > 4 and is_named_unit(name[:-2])


def _balanced(name: str) -> bool:
    """Brackets close in order: `镇政府、街道(开发区` is a name cut inside its bracket."""
    depth = 0
    for ch in name:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def _unit_list(name: str) -> bool:
    """`所在镇政府、街道(开发区)办事处、头桥集团`: a whole unit first, so a list, not one collective (各市、县人民政府
    and 省、市、县政府 are one: their first part names no body)."""
    parts = re.split(r"、(?![^()]*\))", name)
    return len(parts) > 1 and _BODY_END.search(parts[0]) is not None and unit_kind(parts[0]) is not None


def _strip_level(stem: str) -> str:
    return _LEVEL.sub("", stem, count=1)


def _strip_parens(name: str) -> str:
    return re.sub(r"\([^()]*\)", "", name)


def _outside_parens(name: str, char: str) -> bool:
    return char in _strip_parens(name)


def _prefixed(name: str) -> bool:
    return bool(_LEVEL.match(name) or region_prefix(name) or _GENERIC_REGION.match(name) or _county_prefix(name))


@lru_cache(maxsize=1)
def _counties() -> frozenset[str]:
    """County-level divisions of three characters or more (two-character ones such as 城区 / 和县 are words)."""
    data = json.loads(_COUNTIES.read_text(encoding="utf-8"))
    return frozenset(name for name in data["counties"] if len(name) >= 3)


def is_county(name: str) -> bool:
    """A county-level division named bare (东宝区 / 静安区): its government in a list of units, but as a sentence's
    subject the place as a whole (`静安区聚焦存量工业用地转型…`)."""
    return name in _counties()


def _county_prefix(name: str) -> str | None:
    """The county-level division a name starts with (东宝区住建局 → 东宝区), if any."""
    counties = _counties()
    return next((name[:k] for k in range(min(len(name), 8), 2, -1) if name[:k] in counties), None)


def is_unit(text: str) -> bool:
    """True when `text` reads as a unit name (any kind)."""
    return unit_kind(text) is not None


def is_named_unit(text: str) -> bool:
    """A unit whose name says where it sits: a level or region prefix, a national body, a known name or a
    collective (市科技局 / 国务院办公厅 / 财政部 / 各区政府), not a bare 小学部 or 办公室."""
    alias = _ALIAS.match(text.strip())
    name = alias.group(1) if alias else text.strip()
    kind = unit_kind(name)
    return kind is not None and (kind == COLLECTIVE or name in _known() or _prefixed(name)
                                 or bool(_NATIONAL.match(name)))


def unit_share(items: list[str]) -> float:
    """Share of `items` that read as unit names (0.0 for an empty list)."""
    return sum(1 for i in items if is_unit(i)) / len(items) if items else 0.0


def is_unit_list(items: list[str]) -> bool:
    """True when a list reads as a list of units: the first item and most of the rest are units."""
    if not items or not is_unit(items[0]):
        return False
    return unit_share(items) >= (1.0 if len(items) <= 2 else 0.75)
