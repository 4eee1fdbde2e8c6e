"""Keys that tie a citation 《title》(文号) to a policy: wrappers, scripts, brackets, issuers."""

from __future__ import annotations

from core.citekeys import compatible, keys_of, placeholder_id


def test_a_notice_and_the_plan_it_transmits_share_a_title_key() -> None:
    notice = keys_of("上海市人民政府办公厅关于印发《本市系统化全域推进海绵城市建设的实施意见》的通知",
                     "沪府办发〔2024〕3号")
    cited = keys_of("本市系统化全域推进海绵城市建设的实施意见", "沪府办发[2024]3号")
    assert notice.t == cited.t and notice.n == cited.n
    forwarded = keys_of("上海市人民政府办公厅关于转发市发展改革委制订的"
                        "《上海市社区嵌入式服务设施建设工程实施方案》的通知")
    assert forwarded.t == keys_of("上海市社区嵌入式服务设施建设工程实施方案").t


def test_traditional_and_simplified_titles_and_numbers_meet() -> None:
    trad = keys_of("國務院辦公廳關于推進海綿城市建設的指導意見", "國辦發[2015]75號")
    simp = keys_of("国务院办公厅关于推进海绵城市建设的指导意见", "国办发〔2015〕75号")
    assert trad == simp
    assert keys_of("关于推进海绵城市建设的指导意见").s == simp.s  # cited without its issuer


def test_short_titles_match_only_without_a_second_issuer() -> None:
    national = keys_of("国务院关于促进融资担保行业加快发展的意见")
    provincial = keys_of("江西省人民政府关于促进融资担保行业加快发展的意见")
    bare = keys_of("关于促进融资担保行业加快发展的意见")
    assert national.s == provincial.s == bare.s
    assert not compatible(national, provincial, "key_s") and compatible(bare, provincial, "key_s")


def test_two_numbers_never_match_and_placeholders_never_take_a_loaded_id() -> None:
    a, b = keys_of("某某办法", "皖政〔2022〕64号"), keys_of("某某办法", "皖政〔2022〕65号")
    assert not compatible(a, b, "key_t") and compatible(a, keys_of("某某办法"), "key_t")
    from core.ids import document_identity

    real, _ = document_identity("皖政〔2022〕64号", [], "某某办法", None, "x.txt")
    assert placeholder_id(a, "某某办法") != real


def test_a_document_does_not_cite_itself_but_does_cite_what_its_title_names() -> None:
    from loaders.references import _names_itself

    own = "江西省人民政府办公厅印发关于完善政府性融资担保体系切实支持小微企业和“三农”发展若干措施的通知"
    assert _names_itself("关于完善政府性融资担保体系切实支持小微企业和“三农”发展的若干措施", own)
    implementing = "江西省人民政府关于贯彻落实国务院关于促进融资担保行业加快发展的意见的实施意见"
    assert not _names_itself("国务院关于促进融资担保行业加快发展的意见", implementing)
