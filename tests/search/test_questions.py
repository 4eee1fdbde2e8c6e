"""Who-leads questions in everyday forms, read against the real sample-corpus index's department names."""

from __future__ import annotations

import pytest

from search.departments import Lexicon, lexicon
from search.docsets import segments
from search.questions import asked_about, read_question
from tests.sample import Loaded


@pytest.fixture(scope="module")
def lex(sample: Loaded) -> Lexicon:
    return lexicon(segments(sample.index.searcher()))


@pytest.mark.parametrize("q", ["中试基地的牵头单位是", "中试基地的责任部门是哪个", "中试基地归哪个部门管",
                               "中试基地是谁在负责", "中试基地的主管部门有哪些", "谁牵头中试基地建设"])
def test_question_forms_leave_the_topic(lex: Lexicon, q: str) -> None:
    question = read_question(q, lex)
    assert question.department is None and question.topic == "中试基地", question


def test_a_region_body_written_shorter_is_read(lex: Lexicon) -> None:
    question = read_question("淮北市金融局牵头了哪些任务", lex)
    assert question.department is not None
    assert question.department.names == ("淮北市地方金融监督管理局",) and question.topic == ""


@pytest.mark.parametrize("q, topic", [("谁牵头中试基地建设", "中试基地"), ("哪个部门负责科技金融", "科技金融"),
                                      ("科技金融由哪个部门负责", "科技金融"), ("中试基地", None), ("谁", None)])
def test_a_question_typed_as_one_search_word(q: str, topic: str | None) -> None:
    assert asked_about(q) == topic


@pytest.mark.parametrize("q", ["中试基地应该问谁", "中试基地该找谁", "谁在管中试基地", "中试基地具体谁负责",
                               "中试基地联系哪个部门", "中试基地向谁咨询", "哪位领导负责中试基地", "中试基地哪个局管",
                               "中试基地哪个处室负责", "中试基地去哪个部门办", "中试基地归口哪个部门"])
def test_colloquial_question_forms_leave_the_topic(lex: Lexicon, q: str) -> None:
    question = read_question(q, lex)
    assert question.department is None and question.topic == "中试基地", question


@pytest.mark.parametrize(("q", "name"), [("淮北财政局管哪些事", "淮北市财政局"),
                                         ("浙江经信厅配合了哪些工作", "浙江省经济和信息化厅")])
def test_a_department_asked_what_it_does(lex: Lexicon, q: str, name: str) -> None:
    question = read_question(q, lex)
    assert question.department is not None and question.department.names == (name,) and question.topic == ""


@pytest.mark.parametrize(("q", "topic"), [("中试基地这件事谁负责", "中试基地"), ("冰雪赛事的牵头单位是", "冰雪赛事")])
def test_a_closing_event_word_stays(lex: Lexicon, q: str, topic: str) -> None:
    assert read_question(q, lex).topic == topic  # 这件事 goes, the 事 of 赛事 stays
