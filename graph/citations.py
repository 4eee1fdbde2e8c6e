"""Citations and the policies they name, in the graph (the keys are core.citekeys').

A citation is written pointing at the loaded policy it names when there is one (`resolve`), else at a
placeholder Policy node (no `version`).  A policy written later takes over the placeholders that name it
in its own replace query (`placeholders_naming` finds them; graph.cypher's absorb tail moves them), and a
policy removed gives other documents' citations their placeholders back (`split_off`).  Every look-up is
an indexed equality on `key_n` / `key_t` / `key_s`, one read per document.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.citekeys import CiteKeys, compatible, keys_of
from core.records import Extraction
from graph import cypher
from graph.payload import cited_numbers

if TYPE_CHECKING:
    from graph.store import Store

log = logging.getLogger(__name__)

Found = dict[str, dict[str, list[tuple[str, CiteKeys]]]]


def resolve(store: Store, ex: Extraction) -> dict[str, str]:
    """Placeholder id → the loaded policy each citation names: by 文号, then title, then short title."""
    numbers = cited_numbers(ex)
    cited = {e.id: keys_of(e.name, numbers.get(e.id)) for e in ex.entities
             if e.type == "Policy" and e.id != ex.document.id}
    if not cited:
        return {}
    found = _by_keys(store, cypher.LOADED_BY_KEYS, list(cited.values()))
    return {pid: target for pid, keys in cited.items() if (target := _pick(keys, found))}


def placeholders_naming(store: Store, ex: Extraction) -> list[str]:
    """Placeholders that name this policy (its replace query takes over their citations)."""
    doc = ex.document
    keys = keys_of(doc.title, doc.doc_number)
    found = _by_keys(store, cypher.PLACEHOLDERS_BY_KEYS, [keys])
    stubs = {i for prop in cypher.CITE_KEYS for i, held in found[prop].get(_key(keys, prop), [])
             if compatible(keys, held, prop)}
    return sorted(stubs - {doc.id})


def split_off(store: Store, doc_id: str) -> None:
    """Other documents' citations of a policy being removed go back to their placeholders."""
    for r in store.read(cypher.CITED_BY_OTHERS, {"doc": doc_id}).records():
        number = r["cited_no"] or None
        title = r["cited"] or ""
        row = {"title": title, **keys_of(title, number).as_props(), **({"doc_number": number} if number else {})}
        store.write(cypher.PUT_PLACEHOLDER, {"ref": r["ref"], "row": row})
    for query in cypher.SPLIT_OFF.values():
        store.write(query, {"doc": doc_id})


def _by_keys(store: Store, query: str, keys: list[CiteKeys]) -> Found:
    """Key kind → key value → (id, keys) of the policies holding it, in one read."""
    values = {prop: sorted({_key(k, prop) for k in keys} - {""}) for prop in cypher.CITE_KEYS}
    found: Found = {prop: {} for prop in cypher.CITE_KEYS}
    if any(values.values()):
        for r in store.read(query, values).records():
            held = CiteKeys(r["n"] or "", r["t"] or "", r["s"] or "")
            found[r["k"]].setdefault(r["v"], []).append((r["id"], held))
    return found


def _key(keys: CiteKeys, prop: str) -> str:
    return {"key_n": keys.n, "key_t": keys.t, "key_s": keys.s}[prop]


def _pick(keys: CiteKeys, found: Found) -> str:
    """The one loaded policy `keys` name, trying 文号, title, short title in turn ("" when none or ambiguous)."""
    for prop in cypher.CITE_KEYS:
        value = _key(keys, prop)
        ids = sorted({i for i, held in found[prop].get(value, []) if compatible(keys, held, prop)}) if value else []
        if ids:
            return ids[0] if len(ids) == 1 else ""
    return ""
