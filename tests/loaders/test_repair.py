"""Repairs: pinyin annotations, shifted-GBK mojibake, dropped 年, boilerplate."""

from loaders.repair import apply_repairs, find_repairs


def _fix(raw: str) -> str:
    return apply_repairs(raw, find_repairs(raw))


def test_pinyin_annotations_removed():
    assert _fix("加快科技成果轉(zhuǎn)移轉(zhuǎn)化。") == "加快科技成果轉移轉化。"


def test_non_pinyin_parentheses_untouched():
    raw = "強化質量基礎設施(NQI)對科技創新的支撐。\n請加微信19855109130(可加v)聯系。"
    reps = [r for r in find_repairs(raw) if r.kind == "pinyin"]
    assert reps == []
    assert "(NQI)" in _fix(raw)


def test_pinyin_repair_records_span_in_raw_text():
    raw = "服務(wù)業"
    (rep,) = find_repairs(raw)
    assert (rep.kind, rep.start, rep.end, rep.before, rep.after) == ("pinyin", 2, 6, "(wù)", "")


def test_mojibake_run_realigned():
    raw = "推動設立??顚S谩⒉患{入增值保值考核的研發準備金"
    assert _fix(raw) == "推動設立專款專用、不納入增值保值考核的研發準備金"
    (rep,) = [r for r in find_repairs(raw) if r.kind == "mojibake"]
    assert rep.before == "??顚S谩⒉患{"


def test_mojibake_province_run_and_following_pinyin():
    raw = "中國科協與相關?。▍^(qū)、市)簽訂協議"
    assert _fix(raw) == "中國科協與相關省（區、市)簽訂協議"


def test_genuine_question_mark_kept():
    assert _fix("是否需要申报?请咨询。") == "是否需要申报?请咨询。"


def test_dropped_nian_inserted():
    assert _fix("整改时限:202012月底前;20206月底前") == "整改时限:2020年12月底前;2020年6月底前"


def test_year_with_nian_untouched():
    assert _fix("2020年12月底前") == "2020年12月底前"


def test_boilerplate_lines_removed():
    raw = "正文第一段。\nCopyright 2001-2020 © 国科网 版权所有\n京ICP备09035943号-33\n正文第二段。"
    assert _fix(raw) == "正文第一段。\n正文第二段。"
