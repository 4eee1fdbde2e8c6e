"""Keys that tie a citation 《title》(文号) to the policy it names, loaded or not.

A policy (loaded or only cited) carries up to three keys: its 文号 (`n`), its title without script,
width, punctuation and the 关于印发《…》的通知 wrapper (`t`), and that title without the issuer in
front of 关于 (`s`: 《关于推进海绵城市建设的指导意见》 for 国务院办公厅关于推进海绵城市建设的指导意见).
A citation resolves to a loaded policy by 文号 first, then by `t`, then by `s`; two different 文号
never match (see `compatible`).  The graph stores the keys as `key_n`, `key_t`, `key_s` on Policy
nodes (graph.payload) and looks them up through indexes (graph.store).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from core.ids import number_key, title_key
from core.text import match_text

# The document a notice transmits: …关于印发《X》的通知 / …转发市发展改革委制订的《X》的通知.
_TRANSMITTED = re.compile(
    r"(?:印发|转发|下发|发布)[^《》]{0,20}[《<〈](?P<x>[^《》<>〈〉]{4,80})[》>〉]的(?:通知|决定|函)$")
_ISSUER_THEN_ABOUT = re.compile(r"^[^关]{2,40}?(?P<rest>关于.{6,})$")
# A 文号 written after a cited title: (国办发〔2015〕75号), (沪府办发[2024]3号, 以下简称…).
NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\d{1,4}\s*号")
MIN_SHORT = 8


@dataclass(frozen=True)
class CiteKeys:
    """The keys of one policy, loaded or cited ("" when it has none of that kind)."""

    n: str = ""
    t: str = ""
    s: str = ""

    def as_props(self) -> dict[str, str]:
        """The node properties that hold the keys (only those present)."""
        return {k: v for k, v in (("key_n", self.n), ("key_t", self.t), ("key_s", self.s)) if v}


def keys_of(title: str, doc_number: str | None = None) -> CiteKeys:
    """Keys of a policy titled `title` with 文号 `doc_number`."""
    folded = re.sub(r"\s+", "", match_text(title or ""))
    inner = _TRANSMITTED.search(folded)
    t = title_key(inner.group("x") if inner else folded)
    about = _ISSUER_THEN_ABOUT.match(t)
    s = about.group("rest") if about else t
    n = number_key(doc_number) if doc_number else ""
    return CiteKeys(n if len(n) >= 4 else "", t if len(t) >= 4 else "", s if len(s) >= MIN_SHORT else "")


def compatible(a: CiteKeys, b: CiteKeys, via: str = "key_n") -> bool:
    """Whether a citation and a policy that share the key `via` can be one document: never when both
    have a 文号 and they differ, and by short title only when one of them names no issuer (国务院关于X
    and 江西省人民政府关于X are two documents)."""
    if a.n and b.n and a.n != b.n:
        return False
    return via != "key_s" or a.t == a.s or b.t == b.s


def placeholder_id(keys: CiteKeys, title: str) -> str:
    """Id of the Policy node standing for a cited policy that is not loaded (never a loaded policy's id)."""
    basis = f"n:{keys.n}" if keys.n else f"t:{keys.t or match_text(title)}"
    return f"pol-{hashlib.sha1(('cited:' + basis).encode('utf-8')).hexdigest()[:12]}"
