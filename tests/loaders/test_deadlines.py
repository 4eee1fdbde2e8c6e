"""Deadline parsing."""

import pytest

from loaders.deadlines import parse_deadline


@pytest.mark.parametrize(
    ("text", "year", "want"),
    [
        ("2020年6月底前", None, "2020-06"),
        ("2020年12月底", None, "2020-12"),
        ("2024年底", None, "2024-12"),
        ("2024年底前", None, "2024-12"),
        ("年底前", 2021, "2021-12"),
        ("6月底前", 2021, "2021-06"),
        ("2025年", None, "2025"),
        ("持续推进", None, "持续推进"),
        ("长期坚持", None, "长期坚持"),
        ("", None, None),
    ],
)
def test_parse_deadline(text, year, want):
    assert parse_deadline(text, year) == want


def test_deadline_from_tag_with_dropped_nian():
    from loaders.extract import extract_bytes

    text = "浙江省某方案\n1.推进建设。(责任单位:省科技厅;整改时限:20206月底前)。"
    (m,) = extract_bytes(text.encode(), "zj.txt").measures
    assert m.deadline == "2020-06"
