"""All Cypher the application runs, as named constants and allow-listed builders.

Only the portable subset (FalkorDB 4.16 and Neo4j 5) is used. Labels and
relationship types never come from input: builders check them against
`NODE_LABELS` / `RELATION_TYPES` (the one vocabulary, core.vocab).
"""

from __future__ import annotations

from core.vocab import ENTITY_LABELS, NODE_LABELS, RELATION_TYPES

# Measures and policies also carry `text_s` / `title_s`: the same text in simplified
# characters and half-width punctuation, so keyword queries match either script.
# Never substring() in Cypher: FalkorDB 4.16 cuts some Chinese text inside a UTF-8 sequence and the
# reply cannot be decoded.  Texts are shortened in Python instead.
# Every relationship carries the id of the document that asserted it (`doc`).  Those that
# do not hang off a measure are found through a relationship index on `doc` when their
# document is replaced, so "replace a document" never scans the whole graph.
MEASURE_TYPES = ("CONTAINS", "LEADS", "SUPPORTS")
DOC_SCOPED_TYPES = tuple(t for t in RELATION_TYPES if t not in MEASURE_TYPES)

# -- schema ---------------------------------------------------------------
# FalkorDB lists its indexes with this procedure; each row is written back as the FALKOR_INDEXES statement
# that would create it (falkor_index), so setup_schema creates only the missing ones.
FALKOR_LIST_INDEXES = "CALL db.indexes()"


def falkor_index(label: str, prop: str, relationship: bool = False) -> str:
    """The FALKOR_INDEXES statement for an index on `label`.`prop` (a node label or a relationship type)."""
    if relationship:
        return f"CREATE INDEX FOR ()-[r:{label}]-() ON (r.{prop})"
    return f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"


FALKOR_INDEXES = [falkor_index(label, "id") for label in NODE_LABELS] + [
    falkor_index("Department", "name"),
    falkor_index("Measure", "doc_id"),
] + [falkor_index("Policy", k) for k in ("key_n", "key_t", "key_s")] + [
    falkor_index(t, "doc", relationship=True) for t in DOC_SCOPED_TYPES]
NEO4J_SCHEMA = [
    f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    for label in NODE_LABELS
] + [
    "CREATE INDEX department_name IF NOT EXISTS FOR (n:Department) ON (n.name)",
    "CREATE INDEX measure_doc IF NOT EXISTS FOR (n:Measure) ON (n.doc_id)",
] + [f"CREATE INDEX policy_{k} IF NOT EXISTS FOR (n:Policy) ON (n.{k})" for k in ("key_n", "key_t", "key_s")] + [
    f"CREATE INDEX {t.lower()}_doc IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.doc)" for t in DOC_SCOPED_TYPES]

# -- document writes ------------------------------------------------------
# One query per document: FalkorDB runs each query atomically, so a document's
# facts land together or not at all.  The fixed head removes what the previous
# version of the document derived; the FOREACH tails (built below) add the new facts.
_DROP_MEASURES = """
OPTIONAL MATCH (:Policy {id: $doc})-[:CONTAINS]->(old:Measure)
DETACH DELETE old
WITH count(*) AS _drop
"""
_DROP_FACTS = "".join(
    f"OPTIONAL MATCH ()-[f{i}:{t} {{doc: $doc}}]->() DELETE f{i} WITH count(*) AS _drop{i}\n"
    for i, t in enumerate(DOC_SCOPED_TYPES)
)
_REPLACE_HEAD = _DROP_MEASURES + _DROP_FACTS + """
MERGE (p:Policy {id: $doc})
SET p = $policy
"""
_ENTITY_TAIL = "FOREACH (e IN ${param} | MERGE (n:{label} {{id: e.id}}) SET n += e)"
# CONTAINS carries the document and the measure's span in the policy text (its evidence).
_MEASURE_TAIL = ("FOREACH (r IN $measures | CREATE (m:Measure) SET m = r "
                 "CREATE (p)-[:CONTAINS {doc: $doc, ev_start: r.start, ev_end: r.end}]->(m))")
_REL_TAIL = (
    "FOREACH (e IN ${param} | MERGE (a:{src} {{id: e.src}}) MERGE (b:{dst} {{id: e.dst}}) "
    "MERGE (a)-[r:{rel} {{doc: $doc}}]->(b) SET r += e.props)"
)


# Placeholders (`$absorb`, ids) that name the policy being written hand it other documents' citations
# and go, in the same query as the policy's facts (so a load killed in between cannot leave them apart).
_ABSORB_TAIL = "WITH p\nUNWIND $absorb AS stub_id\n" + "".join(f"""
OPTIONAL MATCH (a)-[r:{t}]->(:Policy {{id: stub_id}})
WITH p, stub_id, a, r WHERE r IS NULL OR r.doc <> $doc
FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END |
  CREATE (a)-[r2:{t}]->(p) SET r2 = properties(r), r2.ref = stub_id DELETE r)
WITH DISTINCT p, stub_id""" for t in ("CITES", "IMPLEMENTS")) + """
MATCH (s:Policy {id: stub_id}) WHERE s.version IS NULL AND NOT (s)--()
DELETE s"""


def replace_document(entity_params: dict[str, str], rel_params: dict[str, tuple[str, str, str]],
                     absorb: bool = False) -> str:
    """Build the one-query replace of a document.

    `entity_params` maps a parameter name to an entity label; `rel_params` maps a
    parameter name to (relationship type, source label, target label); `absorb`: the query
    also takes over the placeholders listed in `$absorb`.
    """
    parts = [_REPLACE_HEAD, _MEASURE_TAIL]
    for param, label in entity_params.items():
        _check(label, ENTITY_LABELS + ("Policy",))
        parts.append(_ENTITY_TAIL.format(param=param, label=label))
    for param, (rel, src, dst) in rel_params.items():
        _check(rel, RELATION_TYPES)
        _check(src, NODE_LABELS)
        _check(dst, NODE_LABELS)
        parts.append(_REL_TAIL.format(param=param, src=src, dst=dst, rel=rel))
    parts.append(_ABSORB_TAIL if absorb else "RETURN p.id AS id")
    return "\n".join(parts)


def _check(name: str, allowed: tuple[str, ...]) -> None:
    if name not in allowed:
        raise ValueError(f"{name!r} is not an allowed label or relationship type")


DOCUMENT_VERSIONS = "MATCH (p:Policy) WHERE p.version IS NOT NULL RETURN p.id AS id, p.version AS version"
# What the loader needs to decide which policy a file is (loaders.identity); `sources` is null for a
# policy written by a version that derived ids from file names.
DOCUMENT_CATALOGUE = """
MATCH (p:Policy) WHERE p.version IS NOT NULL
RETURN p.id AS id, p.version AS version, p.source AS source, p.sources AS sources,
       p.source_keys AS source_keys, p.source_versions AS source_versions, p.title AS title,
       p.measure_count AS measure_count, size(coalesce(p.text, '')) AS text_len
"""
POLICY_TEXT = "MATCH (p:Policy {id: $id}) RETURN p.text AS text"
# Another file of the same policy, or one fewer: only the policy's list of sources changes.
SET_SOURCES = """
MATCH (p:Policy {id: $doc})
SET p.sources = $sources, p.source_keys = $source_keys, p.source_versions = $source_versions
"""

# -- citations: placeholders and the policies they name (core.citekeys) ---------
# A citation points at a placeholder Policy (no `version`) until the policy it names is loaded.
CITATION_TYPES = ("CITES", "IMPLEMENTS")
CITE_KEYS = ("key_n", "key_t", "key_s")
# One look-up of all three keys: `$key_n`, `$key_t`, `$key_s` are lists of values (indexed equality each).
_BY_KEY = ("UNWIND ${key} AS v MATCH (p:Policy {{{key}: v}}) WHERE p.version IS {state} "
           "RETURN '{key}' AS k, v AS v, p.id AS id, p.key_n AS n, p.key_t AS t, p.key_s AS s")
LOADED_BY_KEYS = "\nUNION ALL\n".join(_BY_KEY.format(key=k, state="NOT NULL") for k in CITE_KEYS)
PLACEHOLDERS_BY_KEYS = "\nUNION ALL\n".join(_BY_KEY.format(key=k, state="NULL") for k in CITE_KEYS)
# Other documents' citations of a policy about to be removed: each gets its placeholder back.
CITED_BY_OTHERS = """
MATCH (a)-[r:CITES|IMPLEMENTS]->(:Policy {id: $doc})
WHERE r.doc <> $doc AND r.ref IS NOT NULL
RETURN DISTINCT r.ref AS ref, r.cited AS cited, r.cited_no AS cited_no
"""
PUT_PLACEHOLDER = "MERGE (s:Policy {id: $ref}) SET s += $row"
SPLIT_OFF = {t: f"""
MATCH (a)-[r:{t}]->(:Policy {{id: $doc}}) WHERE r.doc <> $doc AND r.ref IS NOT NULL
MATCH (s:Policy {{id: r.ref}})
CREATE (a)-[r2:{t}]->(s) SET r2 = properties(r)
DELETE r
""" for t in CITATION_TYPES}

DELETE_DOCUMENT = _DROP_MEASURES + _DROP_FACTS + """
MATCH (p:Policy {id: $doc})
DETACH DELETE p
"""

# Entity nodes that no loaded document speaks of any more: every relationship belongs
# to a document, so an entity with none is an orphan.
REMOVE_ORPHAN_ENTITIES = """
MATCH (n)
WHERE (n:Department OR n:Programme OR n:Platform OR n:Region) AND NOT (n)--()
DELETE n
RETURN count(n) AS removed
"""
REMOVE_ORPHAN_STUBS = """
MATCH (p:Policy)
WHERE p.version IS NULL AND NOT (p)--()
DELETE p
RETURN count(p) AS removed
"""
# A department's aliases are the surface forms documents used for it, sorted so the result
# does not depend on the order documents were loaded in.
_SET_ALIASES = """
OPTIONAL MATCH (d)-[r]-()
WHERE r.mention IS NOT NULL
WITH d, r.mention AS mention
ORDER BY mention
WITH d, collect(DISTINCT mention) AS mentions
SET d.aliases = mentions
"""
# Every department at once: what the batched refresh below must equal (tests compare them on small graphs).
REFRESH_ALIASES = "MATCH (d:Department)" + _SET_ALIASES
# For the departments given: a small load's (the ones it touched), or every department in batches of
# ALIAS_BATCH (one query over all of them at 100k documents exceeds the engine's per-query memory cap).
REFRESH_ALIASES_OF = "UNWIND $ids AS id\nMATCH (d:Department {id: id})" + _SET_ALIASES
DEPARTMENT_IDS = "MATCH (d:Department) RETURN d.id AS id"
ALIAS_BATCH = 1000
# One indexed look-up per relationship type, written as `()-[r:T]->()`: a pattern without a type, or one that
# names the Department end, scans every relationship of the type (321 ms against 0.8 ms at 10k documents).
DEPARTMENTS_OF_DOCUMENT = "\nUNION\n".join(
    ["MATCH (:Measure {doc_id: $doc})<-[:LEADS|SUPPORTS]-(d:Department) RETURN d.id AS id"]
    + [f"MATCH ()-[r:{t}]->() WHERE r.doc = $doc UNWIND [startNode(r), endNode(r)] AS d WITH d "
       "WHERE d:Department RETURN d.id AS id" for t in DOC_SCOPED_TYPES])

ALL_NODES = "MATCH (n) RETURN labels(n)[0] AS label, properties(n) AS props"
ALL_RELATIONSHIPS = "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props"
COUNT_LABELS = "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n"
COUNT_TYPES = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n"

# -- corpus overview and deadline board (graph/overview.py, computed once per graph version) ----
OVERVIEW_POLICIES = """
MATCH (p:Policy) WHERE p.version IS NOT NULL
RETURN p.id AS id, p.title AS title, p.date AS date, p.region AS region, p.issuers AS issuers,
       p.measure_count AS measures, p.selfcheck AS selfcheck
"""
COUNT_NODES = {label: f"MATCH (n:{label}) RETURN count(n) AS n" for label in NODE_LABELS}
OVERVIEW_LEADS = """
MATCH (d:Department)-[:LEADS]->(m:Measure)
WHERE coalesce(d.kind, '') <> 'group'
RETURN d.id AS id, d.name AS name, count(DISTINCT m) AS n
ORDER BY n DESC, name
LIMIT $limit
"""
OVERVIEW_DEADLINES = """
MATCH (m:Measure) WHERE m.deadline IS NOT NULL AND m.deadline >= '1900' AND m.deadline < '2200'
RETURN m.deadline AS deadline, count(m) AS n
"""
COUNT_WITHOUT_LEAD = "MATCH (m:Measure) WHERE NOT ()-[:LEADS]->(m) RETURN count(m) AS n"
MEASURES_WITHOUT_LEAD = """
MATCH (p:Policy)-[:CONTAINS]->(m:Measure) WHERE NOT ()-[:LEADS]->(m)
RETURN m {.id, .title, .text, .deadline, .ordinal} AS m, p {.id, .title, .date} AS p
ORDER BY p.date DESC, p.id, m.ordinal
SKIP $skip LIMIT $limit
"""
MEASURES_PAGE = """
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)
RETURN m {.id, .title, .text, .deadline, .ordinal} AS m, p {.id, .title, .date} AS p
ORDER BY p.date DESC, p.id, m.ordinal
SKIP $skip LIMIT $limit
"""
DEPARTMENTS_PAGE = """
MATCH (d:Department)
OPTIONAL MATCH (d)-[r:LEADS|SUPPORTS]->(:Measure)
WITH d, count(CASE WHEN type(r) = 'LEADS' THEN 1 END) AS leads,
     count(CASE WHEN type(r) = 'SUPPORTS' THEN 1 END) AS supports
RETURN d {.id, .name, .region} AS d, leads, supports
ORDER BY leads DESC, supports DESC, d.name
SKIP $skip LIMIT $limit
"""
PROGRAMMES_PAGE = """
MATCH (g:Programme)
OPTIONAL MATCH (g)--(x)
WITH g, count(DISTINCT x) AS links
RETURN g {.id, .name} AS g, links
ORDER BY links DESC, g.name
SKIP $skip LIMIT $limit
"""
# Every measure with a dated deadline (YYYY or YYYY-MM), its policy, and (second query) its units: the
# deadline board joins and buckets them in Python, relative to a given day.  (One query with OPTIONAL MATCH,
# ORDER BY rank and collect took seven times as long on FalkorDB.)
DEADLINE_MEASURES = """
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)
WHERE m.deadline >= '1900' AND m.deadline < '2200'
RETURN m {.id, .title, .text, .deadline, .ordinal, .evidence} AS m, p {.id, .title, .region} AS p
"""
DEADLINE_UNITS = """
MATCH (m:Measure) WHERE m.deadline >= '1900' AND m.deadline < '2200'
MATCH (d:Department)-[r:LEADS|SUPPORTS]->(m)
RETURN m.id AS measure, type(r) AS role, r.rank AS rank, d.id AS id, d.name AS name
"""

# -- reads for the app ----------------------------------------------------
DEPARTMENT = """
MATCH (d:Department {id: $id})
OPTIONAL MATCH (d)-[:PART_OF]->(parent:Department)
OPTIONAL MATCH (child:Department)-[:PART_OF]->(d)
OPTIONAL MATCH (d)-[:LOCATED_IN]->(region:Region)
RETURN d {.*} AS d, parent {.id, .name} AS parent,
       collect(DISTINCT child {.id, .name}) AS children, region.name AS region_name
"""
DEPARTMENT_MEASURES = """
MATCH (d:Department {id: $id})-[r:LEADS|SUPPORTS]->(m:Measure)<-[:CONTAINS]-(p:Policy)
RETURN type(r) AS role, r.role AS role_word, r.mention AS mention, r.evidence AS evidence,
       m {.id, .title, .text, .deadline, .section, .ordinal} AS m, p {.id, .title, .doc_number, .date} AS p
ORDER BY p.date DESC, p.id, m.ordinal
LIMIT $limit
"""
DEPARTMENT_MEASURE_COUNTS = """
MATCH (:Department {id: $id})-[r:LEADS|SUPPORTS]->(:Measure)
RETURN type(r) AS role, count(r) AS n
"""
POLICY = "MATCH (p:Policy {id: $id}) RETURN p {.*} AS p"
# What a policy cites or implements (policies, programmes), itself or through its measures, and the
# policies that cite or implement it (themselves or through their measures); deduplicated by UNION.
_LINK_ROW = ("RETURN type(r) AS type, {out} AS out, labels(x)[0] AS label, x.id AS id, "
             "coalesce(x.name, x.title) AS name, x.version IS NOT NULL AS loaded, x.doc_number AS doc_number, "
             "coalesce(r.repeals, false) AS repeals LIMIT $limit")
POLICY_LINKS = "\nUNION\n".join([
    "MATCH (p:Policy {id: $id})-[r:CITES|IMPLEMENTS|MENTIONS]->(x) WHERE x:Policy OR x:Programme OR x:Platform "
    + _LINK_ROW.format(out="true"),
    "MATCH (p:Policy {id: $id})-[:CONTAINS]->(:Measure)-[r:IMPLEMENTS]->(x) WHERE x:Policy OR x:Programme "
    + _LINK_ROW.format(out="true"),
    "MATCH (x:Policy)-[r:CITES|IMPLEMENTS]->(p:Policy {id: $id}) " + _LINK_ROW.format(out="false"),
    "MATCH (x:Policy)-[:CONTAINS]->(:Measure)-[r:IMPLEMENTS]->(p:Policy {id: $id}) " + _LINK_ROW.format(out="false"),
])
POLICY_MEASURES = """
MATCH (p:Policy {id: $id})-[:CONTAINS]->(m:Measure)
OPTIONAL MATCH (d:Department)-[r:LEADS|SUPPORTS]->(m)
WITH m, r, d ORDER BY r.rank
RETURN m {.*} AS m,
       collect(CASE WHEN type(r) = 'LEADS' THEN d {.id, .name, mention: r.mention} END) AS lead,
       collect(CASE WHEN type(r) = 'SUPPORTS' THEN d {.id, .name, mention: r.mention} END) AS support
ORDER BY m.ordinal
LIMIT $limit
"""
MEASURE = """
MATCH (p:Policy)-[:CONTAINS]->(m:Measure {id: $id})
OPTIONAL MATCH (d:Department)-[r:LEADS|SUPPORTS]->(m)
WITH p, m, r, d ORDER BY r.rank
RETURN m {.*} AS m, p {.id, .title, .doc_number} AS p,
       collect(CASE WHEN type(r) = 'LEADS' THEN d {.id, .name, mention: r.mention} END) AS lead,
       collect(CASE WHEN type(r) = 'SUPPORTS' THEN d {.id, .name, mention: r.mention} END) AS support
"""
FIND_DEPARTMENTS = """
MATCH (d:Department)
WHERE d.name = $name OR $name IN coalesce(d.aliases, [])
RETURN d {.id, .name, .region} AS d
LIMIT $limit
"""

# Who leads measures matching every word (simplified text); evidence per department.  The full
# form scans every measure; the `_AMONG` form only the LEADS edges of candidate departments found
# elsewhere (the search index's lead facet), which keeps large graphs fast.
_WHO_LEADS_TAIL = """
WHERE all(w IN $words WHERE m.text_s CONTAINS w OR m.title_s CONTAINS w)
WITH d, count(DISTINCT m) AS n,
     collect({measure: m.id, title: m.title, text: m.text, evidence: r.evidence, mention: r.mention,
              policy: p.id, policy_title: p.title}) AS items
RETURN d {.id, .name, .region} AS d, n, items
ORDER BY n DESC, d.name
LIMIT $limit
"""
WHO_LEADS = "MATCH (d:Department)-[r:LEADS]->(m:Measure)<-[:CONTAINS]-(p:Policy)" + _WHO_LEADS_TAIL
WHO_LEADS_AMONG = ("UNWIND $names AS name\n"
                   "MATCH (d:Department {name: name})-[r:LEADS]->(m:Measure)<-[:CONTAINS]-(p:Policy)"
                   + _WHO_LEADS_TAIL)
WHO_SUPPORTS_OF = """
UNWIND $measures AS mid
MATCH (d:Department)-[:SUPPORTS]->(m:Measure {id: mid})
RETURN d {.id, .name, .region} AS d, count(DISTINCT m) AS n
ORDER BY n DESC, d.name
LIMIT $limit
"""
WHO_SUPPORTS = """
MATCH (d:Department)-[:SUPPORTS]->(m:Measure)
WHERE all(w IN $words WHERE m.text_s CONTAINS w OR m.title_s CONTAINS w)
RETURN d {.id, .name, .region} AS d, count(DISTINCT m) AS n
ORDER BY n DESC, d.name
LIMIT $limit
"""

NEIGHBOURS = """
MATCH (c {id: $id})
OPTIONAL MATCH (c)-[r]-(n)
WITH c, r, n LIMIT $limit
RETURN c {.id, .name, .title, label: labels(c)[0]} AS c,
       collect(n {.id, .name, .title, text: CASE WHEN n:Measure THEN n.text END, label: labels(n)[0],
                  out: startNode(r) = c, type: type(r)}) AS ns
"""
NEIGHBOUR_COUNT = "MATCH ({id: $id})-[r]-() RETURN count(r) AS n"

DEPARTMENT_COLLABORATORS = """
MATCH (d:Department {id: $id})-[:LEADS|SUPPORTS]->(m:Measure)<-[:LEADS|SUPPORTS]-(o:Department)
WHERE o.id <> d.id
RETURN o {.id, .name} AS o, count(DISTINCT m) AS n
ORDER BY n DESC, o.name
LIMIT $limit
"""
REPORTING_CHAIN = """
MATCH path = (d:Department {id: $id})-[:REPORTS_TO*1..4]->(top:Department)
RETURN [n IN nodes(path) | n {.id, .name}] AS chain, length(path) AS depth
ORDER BY depth DESC
LIMIT 1
"""

# Collaboration network: department pairs named on the same measures.  `weight` counts shared
# measures, `w_leads` / `w_supports` those where at least one of the pair leads / supports.
COLLABORATION_EDGES = """
MATCH (a:Department)-[ra:LEADS|SUPPORTS]->(m:Measure)<-[rb:LEADS|SUPPORTS]-(b:Department)
WHERE a.id < b.id
RETURN a.id AS a, b.id AS b, count(DISTINCT m) AS weight,
       count(DISTINCT CASE WHEN type(ra) = 'LEADS' OR type(rb) = 'LEADS' THEN m END) AS w_leads,
       count(DISTINCT CASE WHEN type(ra) = 'SUPPORTS' OR type(rb) = 'SUPPORTS' THEN m END) AS w_supports
"""
COLLABORATION_EDGES_IN_POLICY = """
MATCH (:Policy {id: $policy})-[:CONTAINS]->(m:Measure)
MATCH (a:Department)-[ra:LEADS|SUPPORTS]->(m)<-[rb:LEADS|SUPPORTS]-(b:Department)
WHERE a.id < b.id
RETURN a.id AS a, b.id AS b, count(DISTINCT m) AS weight,
       count(DISTINCT CASE WHEN type(ra) = 'LEADS' OR type(rb) = 'LEADS' THEN m END) AS w_leads,
       count(DISTINCT CASE WHEN type(ra) = 'SUPPORTS' OR type(rb) = 'SUPPORTS' THEN m END) AS w_supports
"""
COLLABORATION_NODES = """
MATCH (d:Department)-[r:LEADS|SUPPORTS]->(m:Measure)
RETURN d.id AS id, d.name AS name, d.region AS region, d.kind AS kind,
       toInteger(sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END)) AS leads,
       toInteger(sum(CASE WHEN type(r) = 'SUPPORTS' THEN 1 ELSE 0 END)) AS supports,
       count(DISTINCT m.doc_id) AS policies
"""

ENTITY = """
MATCH (e {id: $id})
WHERE e:Programme OR e:Platform OR e:Region
OPTIONAL MATCH (e)-[r]-(n)
WITH DISTINCT e, n, type(r) AS type, startNode(r) = e AS out LIMIT $limit
RETURN e {.*, label: labels(e)[0]} AS e,
       collect(n {.id, .name, .title, .doc_id, text: CASE WHEN n:Measure THEN n.text END, label: labels(n)[0],
                  type: type, out: out}) AS ns
"""

# -- user-saved queries (one :SavedQuery node each, keyed by name; no relationships) ------------------
USER_QUERIES = """
MATCH (q:SavedQuery)
RETURN q.name AS name, q.title AS title, q.description AS description, q.query AS query,
       q.params AS params, q.owner AS owner, q.created AS created, q.updated AS updated
ORDER BY name
"""
SAVE_USER_QUERY = """
MERGE (q:SavedQuery {name: $name})
ON CREATE SET q.created = $now
SET q.title = $title, q.description = $description, q.query = $query, q.params = $params,
    q.owner = $owner, q.updated = $now
"""
# Migration from files: an existing node (saved since, perhaps by another process) is never overwritten.
ADD_USER_QUERY_IF_NEW = """
MERGE (q:SavedQuery {name: $name})
ON CREATE SET q.title = $title, q.description = $description, q.query = $query, q.params = $params,
              q.owner = $owner, q.created = $created, q.updated = $updated
"""
DELETE_USER_QUERY = """
MATCH (q:SavedQuery {name: $name})
DELETE q
RETURN count(q) AS removed
"""

# -- export: loaded documents read back as records (graph/export.py, to rebuild the search index) ----
EXPORT_DOCUMENT_IDS = "MATCH (p:Policy) WHERE p.version IS NOT NULL RETURN p.id AS id ORDER BY id"
EXPORT_POLICIES = """
UNWIND $ids AS doc
MATCH (p:Policy {id: doc})
WHERE p.version IS NOT NULL
RETURN p {.*} AS p
"""
EXPORT_MEASURES = """
UNWIND $ids AS doc
MATCH (:Policy {id: doc})-[:CONTAINS]->(m:Measure)
OPTIONAL MATCH (d:Department)-[r:LEADS|SUPPORTS]->(m)
WITH doc, m, collect(CASE WHEN r IS NULL THEN NULL ELSE
    {type: type(r), id: d.id, name: d.name, mention: r.mention, role: r.role, rank: r.rank} END) AS units
RETURN doc, m {.*} AS m, units
"""
# Entities linked by an edge this document wrote (r.doc), to the policy or to one of its measures.
EXPORT_ENTITIES = """
UNWIND $ids AS doc
MATCH (:Policy {id: doc})-[r]-(e)
WHERE r.doc = doc AND (e:Department OR e:Programme OR e:Platform)
RETURN doc, labels(e)[0] AS type, e {.id, .name, .region, .kind} AS e, r.mention AS mention
UNION ALL
UNWIND $ids AS doc
MATCH (:Policy {id: doc})-[:CONTAINS]->(:Measure)-[r]-(e)
WHERE r.doc = doc AND (e:Department OR e:Programme OR e:Platform)
RETURN doc, labels(e)[0] AS type, e {.id, .name, .region, .kind} AS e, r.mention AS mention
"""
EXPORT_PARENTS = """
UNWIND $ids AS id
MATCH (:Department {id: id})-[:PART_OF]->(parent:Department)
RETURN id, parent {.id, .name, .region, .kind} AS e
"""

# -- benchmark samples (bench/measure.py picks the departments and policies whose pages it times) ----
SAMPLE_DEPARTMENT_IDS = "MATCH (d:Department) RETURN d.id ORDER BY d.id LIMIT 2000"
SAMPLE_POLICY_IDS = "MATCH (p:Policy) WHERE p.version IS NOT NULL RETURN p.id ORDER BY p.id LIMIT 2000"
