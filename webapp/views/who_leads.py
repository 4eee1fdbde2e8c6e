"""Who leads: `/who-leads?q=` and `/api/who-leads?q=` — lead departments ranked by matching measures.

The question is read first (search.questions): "谁牵头推进中试基地建设" asks about the topic 中试基地,
"淮北市科技局牵头了哪些任务" about a department, whose measures are then listed; the answer says how it
was read ("按主题：中试基地").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from flask import Blueprint, jsonify, render_template, request

from core.ids import entity_id
from graph import reads
from graph.reads import Evidence, LeadAnswer, UnitLink, WhoLeads
from search import synonyms
from search.departments import lexicon
from search.docsets import segments
from search.questions import Question, finer_words, read_question, split_topics, topic_words
from search.suggest import Suggestions, who_leads_suggestions
from webapp import services
from webapp.script import simplified

bp = Blueprint("who_leads", __name__)

EVIDENCE_SHOWN = 5
MAX_DEPARTMENTS = 12  # a short form without region (人社局) names one body per region


@dataclass
class Answer:
    """A who-leads answer and how the question was read."""

    query: str
    words: list[str]
    leads: list[LeadAnswer]
    supports: list[tuple[UnitLink, int]]
    reading: dict[str, Any] = field(default_factory=dict)
    by_department: bool = False  # the question named a department: its measures are listed
    supported: dict[str, int] = field(default_factory=dict)  # department id → measures it supports (by department)
    suggestions: Suggestions | None = None  # no lead department found: what to ask instead


def _run() -> Answer:
    q = request.args.get("q", "").strip()[:200]
    limit = max(1, min(request.args.get("limit", 20, type=int) or 20, 100))
    if not q:
        return Answer(q, [], [], [])
    question = read_question(q, lexicon(segments(services.get().index.searcher())))
    if question.department is not None:
        found = _by_department(question, limit)
    else:
        topics = question.topics
        answer = _by_topics(topics, limit) if topics and question.respectively else _answer(question.topic or q, limit)
        if not answer.leads and topics and not question.respectively:
            answer = _by_topics(topics, limit)  # 农机装备和体育竞赛表演: no measure holds both, each has leads
        found = Answer(q, answer.words, answer.leads, answer.supports, _reading(question, answer.words))
    if not found.leads:  # never a blank: shorter topics, near department names, the department alone
        department_text = question.department.text if question.department is not None else ""
        found.suggestions = who_leads_suggestions(services.get().index, question.topic or ("" if department_text
                                                                                             else q), department_text)
    return found


def _answer(topic: str, limit: int) -> WhoLeads:
    """The lead departments of a topic: as written, else its words each anywhere in the measure (科技金融融合 →
    科技 金融 融合), else its long words cut into shorter ones (特种设备安全监管 → 特种 设备 安全 监管)."""
    answer = _by_topic(topic, limit)
    for fewer in (topic_words(topic), finer_words(topic), *_other_forms(topic)):
        if answer.leads or not fewer or fewer == answer.query:
            continue
        answer = _by_topic(fewer, limit)
    return answer


def _other_forms(topic: str) -> list[str]:
    """The topic as documents write it when it is typed short (综保区 → 综合保税区, search.synonyms): the whole
    topic's other forms, else its words each replaced by their first other form."""
    whole = list(synonyms.others(topic))
    if whole:
        return whole
    words = topic_words(topic).split()
    replaced = [synonyms.others(w)[0] if synonyms.others(w) else w for w in words]
    return [" ".join(replaced)] if replaced != words else []


def _by_topics(topics: list[str], limit: int) -> WhoLeads:
    """Each topic's lead departments, taken in turn: the first lead of every topic, then the second …"""
    answers = [_answer(topic, limit) for topic in topics]
    leads: dict[str, LeadAnswer] = {}
    for rank in range(limit):
        for answer in answers:
            if rank < len(answer.leads):
                leads.setdefault(answer.leads[rank].id, answer.leads[rank])
    supports: dict[str, tuple[UnitLink, int]] = {}
    for answer in answers:
        for unit, n in answer.supports:
            supports[unit.id] = (unit, n + supports[unit.id][1]) if unit.id in supports else (unit, n)
    words = list(dict.fromkeys(w for answer in answers for w in answer.words))
    return WhoLeads(" ".join(topics), words, list(leads.values())[:limit],
                    sorted(supports.values(), key=lambda s: -s[1])[:limit])


def _by_topic(topic: str, limit: int) -> WhoLeads:
    """Lead departments of the measures containing every word of the topic."""
    svc = services.get()
    # The index counts lead departments over every matching measure (its lead facet); the graph then
    # reads evidence from those departments' own measures instead of scanning all of them.
    words = " ".join(f'"{w}"' for w in topic.replace('"', " ").split())
    facet = svc.search(words, kind="measure", page_size=0).facets.get("lead", []) if words else []
    return reads.who_leads(svc.store, topic, limit=limit, candidates=[name for name, _n in facet])


def _by_department(question: Question, limit: int) -> Answer:
    """The measures the named departments lead (those about the topic, when the question has one)."""
    assert question.department is not None
    names = list(question.department.names[:MAX_DEPARTMENTS])
    store = services.get().store
    if question.topic:
        # as written, else its words anywhere, else each of the topics it joins (人才评价和职称评审是组织部负责吗)
        tries = [question.topic, topic_words(question.topic), *split_topics(question.topic)]
        found = reads.who_leads(store, question.topic, limit=limit, candidates=names)
        for topic in tries[1:]:
            if found.leads or not topic:
                break
            found = reads.who_leads(store, topic, limit=limit, candidates=names)
        return Answer(question.text, found.words, found.leads, found.supports, _reading(question, found.words), True)
    leads, collaborators, supported = [], [], {}
    for name in names:
        view = reads.department(store, entity_id("Department", name), limit=EVIDENCE_SHOWN * 4)
        if view is None:
            continue
        entries = [e for policy in view.led.values() for e in policy][:EVIDENCE_SHOWN]
        leads.append(LeadAnswer(view.id, view.name, view.region, view.led_total, [_evidence(e) for e in entries]))
        collaborators += view.collaborators
        supported[view.id] = view.supported_total
    leads.sort(key=lambda lead: (-lead.measures, -supported[lead.id]))
    return Answer(question.text, [], leads[:limit], collaborators[:limit], _reading(question, []), True, supported)


def _evidence(entry: reads.RoleEntry) -> Evidence:
    m = entry.measure
    return Evidence(m.id, m.title, m.text, entry.evidence, entry.mention, m.policy_id, m.policy_title)


def _reading(question: Question, words: list[str]) -> dict[str, Any]:
    """How the question was read, with the words the measures were matched on."""
    return {**question.to_json(), "words": words}


@bp.get("/who-leads")
def page() -> str:
    answer = _run()
    return render_template("who_leads.html", a=answer, wq=answer.query, simplified=simplified)


@bp.get("/api/who-leads")
def api():
    return jsonify(asdict(_run()))
