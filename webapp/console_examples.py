"""The Cypher console's example queries: each runs as shipped on the sample corpus (tests/webapp/test_console.py).

Chinese aliases are written in backticks (AS `部门`): the engine reads an unquoted name as ASCII only.
`graph` says the example returns nodes and relationships, so the console's graph view must show them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """One example: a Chinese title, the Cypher text, its parameters (JSON text) and whether it draws a graph."""

    title: str
    query: str
    params: str = ""
    graph: bool = False


EXAMPLES = (
    Example("关键词措施的牵头部门（表格）",
            "MATCH (d:Department)-[:LEADS]->(m:Measure)\n"
            "WHERE m.text_s CONTAINS $keyword\n"
            "RETURN d.name AS `部门`, count(m) AS `措施数`\n"
            "ORDER BY `措施数` DESC\n"
            "LIMIT 10",
            '{"keyword": "中试基地"}'),
    Example("部门牵头的措施及其政策（图）",
            "MATCH (d:Department {name: $department})-[r:LEADS]->(m:Measure)<-[c:CONTAINS]-(p:Policy)\n"
            "RETURN d AS `部门`, r AS `牵头`, m AS `措施`, c AS `包含`, p AS `政策`\n"
            "LIMIT 12",
            '{"department": "淮北市科学技术局"}', graph=True),
    Example("两个部门之间的协作路径（路径）",
            "MATCH (a:Department {name: $dept_a}), (b:Department {name: $dept_b})\n"
            "WITH a, b\n"
            "MATCH path = allShortestPaths((a)-[:LEADS|SUPPORTS*..6]-(b))\n"
            "RETURN path AS `路径`, length(path) / 2 AS `步数`\n"
            "LIMIT 5",
            '{"dept_a": "淮北市科学技术局", "dept_b": "淮北市财政局"}', graph=True),
    Example("部门的协作单位（邻域图）",
            "MATCH (d:Department {name: $department})-[r1:LEADS]->(m:Measure)<-[r2:SUPPORTS]-(o:Department)\n"
            "RETURN d AS `部门`, r1 AS `牵头`, m AS `措施`, r2 AS `配合`, o AS `协作单位`\n"
            "LIMIT 20",
            '{"department": "淮北市科学技术局"}', graph=True),
    Example("政策的承接与引用（路径）",
            "MATCH path = (src:Policy)-[:IMPLEMENTS|CITES*1..3]->(target:Policy)\n"
            "RETURN path AS `承接链`, length(path) AS `级数`\n"
            "LIMIT 10",
            "", graph=True),
    Example("图谱中各类节点的数量（表格）",
            "MATCH (n)\n"
            "WITH CASE labels(n)[0] WHEN 'Policy' THEN '政策' WHEN 'Measure' THEN '措施'\n"
            "  WHEN 'Department' THEN '部门' WHEN 'Programme' THEN '专项行动'\n"
            "  WHEN 'Platform' THEN '平台' WHEN 'Region' THEN '地区'\n"
            "  ELSE labels(n)[0] END AS kind\n"
            "RETURN kind AS `类型`, count(*) AS `数量`\n"
            "ORDER BY `数量` DESC"),
)
