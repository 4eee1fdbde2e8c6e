"""Runs typed without spaces, read against the department names of the real sample-corpus index."""

from __future__ import annotations

import pytest

from search.compounds import split
from search.departments import Lexicon, lexicon
from search.docsets import segments
from tests.sample import Loaded


@pytest.fixture(scope="module")
def lex(sample: Loaded) -> Lexicon:
    return lexicon(segments(sample.index.searcher()))


def test_a_department_at_the_start_or_end_of_a_run(lex: Lexicon) -> None:
    found = split("淮北市科技局中试基地", lex)
    assert found is not None and found.department is not None
    assert found.department.names == ("淮北市科学技术局",) and found.topic == "中试基地"
    found = split("口罩江西工信厅", lex)
    assert found is not None and found.department is not None and found.topic == "口罩"
    assert found.department.names == ("江西省工业和信息化厅",)


def test_year_and_document_type_at_the_edges(lex: Lexicon) -> None:
    found = split("2020年科技成果转化通知", lex)
    assert found is not None and (found.year, found.topic, found.doc_type) == ("2020", "科技成果转化", "通知")
    assert found.parts == ["2020", "科技成果转化", "通知"]


def test_words_are_not_cut_inside(lex: Lexicon) -> None:
    assert split("科技委员会", lex) is None  # not 科技委 + 员会
    assert split("科技成果转化", lex) is None  # a topic alone
    assert split("淮北市科学技术局", lex) is None  # a department alone


def test_a_kind_of_entry_and_a_role_at_the_end(lex: Lexicon) -> None:
    found = split("淮北市科技局的措施", lex)
    assert found is not None and found.department is not None and found.kind == "measure" and found.topic == ""
    found = split("科技金融相关政策", lex)
    assert found is not None and (found.topic, found.kind, found.department) == ("科技金融", "policy", None)
    found = split("浙江省科技厅牵头的新型研发机构", lex)
    assert found is not None and found.department is not None and found.topic == "新型研发机构"
    assert found.department.names == ("浙江省科学技术厅",)


def test_a_region_opening_a_run_and_a_year_closing_it(lex: Lexicon) -> None:
    found = split("浙江科技新政", lex)
    assert found is not None and (found.place, found.topic, found.department) == ("浙江", "科技新政", None)
    found = split("科协行动方案2020", lex)
    assert found is not None and (found.year, found.doc_type) == ("2020", "行动方案")
    assert split("全国学会服务", lex) is None  # the whole country is no place to search in


def test_titles_words_at_the_end_are_no_kind_of_entry(lex: Lexicon) -> None:
    assert split("完善政府性融资担保体系若干措施", lex) is None  # one run: no filter to measures
    found = split("融资担保的措施", lex)
    assert found is not None and found.kind == "measure" and found.topic == "融资担保"
