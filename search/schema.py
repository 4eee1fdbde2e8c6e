"""The one Whoosh schema shared by every kind of search entry."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from search.analyzer import chinese_analyzer
from search.formats import PackedPositions

KINDS = ("policy", "measure", "department", "programme", "platform")
# Entity types (core.vocab.ENTITY_TYPES) that get their own search entry.
ENTITY_KINDS = {"Department": "department", "Programme": "programme", "Platform": "platform"}
TEXT_FIELDS = ("title", "body", "lead", "support")
FIELD_BOOSTS = {"title": 2.0, "body": 1.0, "lead": 1.5, "support": 1.0}
FACET_FIELDS = ("kind", "issuer", "region", "year", "lead_facet")
MULTI_VALUED = frozenset({"issuer", "lead_facet", "support_facet"})
VALUE_SEPARATOR = ","  # multi-valued KEYWORD fields are comma-joined


def text_field() -> TEXT:
    """An analysed, stored text field whose postings keep positions (packed, see search.formats)."""
    field = TEXT(analyzer=chinese_analyzer(), stored=True, phrase=True)
    field.format = PackedPositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    """The schema: analysed text fields, exact-match facet fields, stored display fields."""
    return Schema(
        uid=ID(unique=True, stored=True),
        kind=ID(stored=True, sortable=True),
        id=ID(stored=True),
        doc_id=ID(stored=True),
        version=STORED(),
        title=text_field(),
        body=text_field(),
        lead=text_field(),
        support=text_field(),
        issuer=KEYWORD(stored=True, commas=True, scorable=False),
        region=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        lead_facet=KEYWORD(stored=True, commas=True, scorable=False),
        support_facet=KEYWORD(stored=True, commas=True, scorable=False),
        policy_title=STORED(),
        deadline=STORED(),
        aliases=STORED(),
        mentions=KEYWORD(commas=True, scorable=False),  # policies: uids of the entities the document names
        entity_aliases=STORED(),  # policies: {entity uid: aliases the document used}
    )
