"""Chinese everywhere a user looks: the main pages, read with an HTML parser, show no purely-English words
outside code (code/pre/kbd/samp, the Cypher editor, scripts and styles), and no server paths.

Visible text is every text node plus the attributes a user reads (title, placeholder, aria-label, alt, value of
buttons); an English token is a run of ASCII letters. Allowed: the names of formats, languages and keys
(ALLOWED below), and the content of code elements. Ids, numbers and Cypher stay code and are marked up as such.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from settings import ROOT
from tests.sample import Loaded
from tests.webapp.conftest import HUAIBEI_KJJ, find_id

ALLOWED = {"Cypher", "CSV", "Excel", "JSON", "API", "PNG", "GraphML", "Ctrl", "Enter", "PDF", "HTML", "Word",
           "OpenAPI", "ID", "YYYY", "MM", "DD", "PolicyGraph", "MB", "KB", "GB"}
CODE = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "template"}
READ_ATTRS = ("title", "placeholder", "aria-label", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """Text a user can read on a page, outside code elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.hidden_depth = 0
        self.texts: list[tuple[str, str]] = []  # (where, text)

    def _in_code(self) -> bool:
        return any(t in CODE for t in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if not self._in_code() and tag not in CODE:
            for name in READ_ATTRS:
                if a.get(name):
                    self.texts.append((f"<{tag} {name}>", a[name] or ""))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.texts.append(("<input value>", a["value"] or ""))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._in_code():
            self.texts.append((f"<{self.stack[-1] if self.stack else ''}>", data.strip()))


# Ids (pol-…, dep-…), paths (/api/…) and file extensions (.docx) are code wherever they appear.
NOT_WORDS = re.compile(r"\b[a-z]{3}-[0-9a-f]{6,}(?:-\d+)?\b|(?<![\w.])/[\w/.~-]+|(?<!\w)\.[a-z]{2,5}\b")


def english_words(html: str, document_words: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """(where, word, text) for each purely-ASCII-letter word that is not allowed, not code and not quoted
    from the documents themselves (`document_words`: NQI, APP … in a measure's text are the policy's words)."""
    parser = VisibleText()
    parser.feed(html)
    out = []
    for where, text in parser.texts:
        for word in re.findall(r"[A-Za-z][A-Za-z_]*", NOT_WORDS.sub(" ", text)):
            if word not in ALLOWED and word not in document_words:
                out.append((where, word, text[:80]))
    return out


def words_of_the_documents(sample: Loaded) -> frozenset[str]:
    """Every ASCII word in the loaded documents' texts and titles (what pages quote, not what they label)."""
    rows = sample.store.read("MATCH (n) WHERE n:Policy OR n:Measure OR n:Department OR n:Programme OR "
                             "n:Platform RETURN n.text, n.title, n.name").rows
    texts = [t or "" for row in rows for t in row]
    # what the repairs removed (web page footers, pinyin) is quoted in hints too: take the files' own words
    texts += [f.read_text(encoding="utf-8", errors="ignore") for f in sample.files if f.suffix == ".txt"]
    return frozenset(w for t in texts for w in re.findall(r"[A-Za-z][A-Za-z_]*", t))


def test_the_scanner_flags_english_and_spares_code() -> None:
    html = ('<p>共 3 行 · Export</p><code>MATCH (n)</code><button title="Run">运行</button>'
            '<input placeholder="keyword"><pre>RETURN n</pre><p>导出 CSV</p>')
    assert [w for _, w, _ in english_words(html)] == ["Export", "Run", "keyword"]


def _pages(client: FlaskClient) -> list[str]:
    policy = find_id(client, "policy", "中试基地", "淮北")
    measures = client.get(f"/api/policies/{policy}").get_json()["measures"]
    dept = client.get("/api/network/find", query_string={"q": HUAIBEI_KJJ}).get_json()["departments"][0]["id"]
    pages = ["/", "/?q=中试基地", "/?q=没有这种东西的词语", "/who-leads?q=中试基地", "/network", "/queries", "/console",
             "/admin/", f"/policies/{policy}", f"/measures/{measures[0]['id']}", f"/departments/{dept}",
             "/nope-not-a-page"]
    names = [q["name"] for q in client.get("/api/queries").get_json()["queries"]]
    return pages + [f"/queries/{n}?run=1" for n in names]


@pytest.mark.parametrize("signed_in", [False, True])
def test_main_pages_show_no_english_labels(client: FlaskClient, sample: Loaded, signed_in: bool) -> None:
    if signed_in:
        from tests.webapp.conftest import sign_in

        sign_in(client)
    found = {}
    document_words = words_of_the_documents(sample)
    assert {"NQI", "APP"} <= document_words  # the sample quotes some English; pages may show those quotes
    for path in _pages(client):
        res = client.get(path)
        html = res.get_data(as_text=True)
        words = english_words(html, document_words)
        if words:
            found[path] = words[:8]
        text = " ".join(t for _, t in _visible(html))
        assert str(ROOT) not in text and "/tmp/" not in text, path
    assert not found, found


def _visible(html: str) -> list[tuple[str, str]]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts
