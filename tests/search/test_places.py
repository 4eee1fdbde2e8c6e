"""A county or district the region knowledge base does not list, before a department body (杜集区科技局)."""

from __future__ import annotations

from search.departments import Lexicon, read

NAMES = {"淮北市杜集区科学技术局": 3, "淮北市科学技术局": 10, "濉溪县发展和改革委员会": 2, "淮北市发展和改革委员会": 5}


def test_a_district_department_is_read_through_its_place_name() -> None:
    lex = Lexicon(dict(NAMES))
    found = read("杜集区科技局", lex)
    assert found is not None and found.names == ("淮北市杜集区科学技术局",)
    found = read("濉溪县发改委", lex)
    assert found is not None and found.names == ("濉溪县发展和改革委员会",)


def test_a_place_with_no_such_department_reads_as_nothing() -> None:
    lex = Lexicon(dict(NAMES))
    assert read("杜集区发改委", lex) is None  # the index has no 杜集区 development commission
    assert read("相山区科技局", lex) is None  # nor any 相山区 department
