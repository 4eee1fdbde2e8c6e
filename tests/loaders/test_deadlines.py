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


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("确保2022年10月10日前全面实现实质性复工。", "2022-10"),  # a day before 前
        ("10月15日前全面实现复产。", "2022-10"),  # a month of the plan's own year
        ("9月底前完成设备安装。", "2022-09"),
        ("力争2023年6月下旬前建成投用。", "2023-06"),
        ("提升服务水平，扩大覆盖面。", None),  # no time at all
    ],
)
def test_a_completion_time_written_in_the_measure_itself(sentence, want):
    from loaders.extract import extract_bytes

    text = f"某某省2022年复工复产工作方案\n1.加快复工复产。{sentence}(责任单位:省发展改革委、省财政厅)\n"
    (m,) = extract_bytes(text.encode(), "plan.txt").measures
    assert m.deadline == want
