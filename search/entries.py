"""Index entries (field dicts) for one document's policy and measures, and its dictionary words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from core.records import Document, Extraction, Measure, UnitRef
from search.analyzer import fold
from search.entities import policy_mentions
from search.schema import ENTITY_KINDS, VALUE_SEPARATOR

_YEAR = re.compile(r"(\d{4})")


def join_values(values: Iterable[str]) -> str:
    """Comma-join folded facet values (commas inside a value become spaces)."""
    clean = (fold(v).replace(VALUE_SEPARATOR, " ").strip() for v in values if v)
    return VALUE_SEPARATOR.join(dict.fromkeys(v for v in clean if v))


def document_entries(ex: Extraction) -> Iterator[dict[str, Any]]:
    """The policy entry and one entry per measure of an extraction."""
    doc, common = ex.document, _common(ex.document)
    yield {"uid": f"policy:{doc.id}", "kind": "policy", "id": doc.id, "title": doc.title,
           "body": policy_body(doc), **policy_mentions(ex), **common}
    aliases = {e.id: e.aliases for e in ex.entities}
    for m in ex.measures:
        yield _measure_entry(m, aliases, common)


def policy_body(doc: Document) -> str:
    """The text a policy entry is searched by: its document number (the header line the reader takes out of
    the text: staff search 赣府发〔2020〕8号) and its text."""
    if doc.doc_number and doc.doc_number not in doc.text:
        return f"{doc.doc_number}\n{doc.text}"
    return doc.text


def _common(doc: Document) -> dict[str, Any]:
    """Fields every entry of a document shares."""
    year = _YEAR.match(doc.date or "")
    return {
        "doc_id": doc.id,
        "version": doc.version,
        "issuer": join_values(doc.issuers),
        "region": fold(doc.region or ""),
        "year": year.group(1) if year else "",
        "policy_title": doc.title,
    }


def _measure_entry(m: Measure, aliases: dict[str, list[str]], common: dict[str, Any]) -> dict[str, Any]:
    """One measure: text, lead/support names with every alias, deadline."""
    return {
        "uid": f"measure:{m.id}", "kind": "measure", "id": m.id, "title": m.title, "body": m.text,
        "lead": _unit_text(m.lead, aliases), "support": _unit_text(m.support, aliases),
        "lead_facet": join_values(u.name for u in m.lead), "support_facet": join_values(u.name for u in m.support),
        "deadline": m.deadline or "", **common,
    }


def _unit_text(units: list[UnitRef], aliases: dict[str, list[str]]) -> str:
    """Canonical names, mentions and aliases, one per line (phrases never span lines)."""
    names: list[str] = []
    for u in units:
        names += [u.name, u.mention, *aliases.get(u.id, [])]
    return "\n".join(dict.fromkeys(n for n in names if n))


def dictionary_words(extractions: Iterable[Extraction]) -> list[str]:
    """Entity names and aliases, and unit names and mentions, to keep whole when segmenting."""
    words: list[str] = []
    for ex in extractions:
        for e in ex.entities:
            if e.type in ENTITY_KINDS:
                words += [e.name, *e.aliases]
        for m in ex.measures:
            words += [x for u in (*m.lead, *m.support) for x in (u.name, u.mention)]
    return [w for w in dict.fromkeys(words) if len(w) >= 2]
