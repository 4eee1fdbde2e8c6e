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
            "RETURN d, r, m, c, p\n"
            "LIMIT 12",
            '{"department": "淮北市科学技术局"}', graph=True),
    Example("两个部门之间的协作路径（路径）",
            "MATCH (a:Department {name: $dept_a}), (b:Department {name: $dept_b})\n"
            "WITH a, b\n"
            "MATCH path = allShortestPaths((a)-[:LEADS|SUPPORTS*..6]-(b))\n"
            "RETURN path\n"
            "LIMIT 5",
            '{"dept_a": "淮北市科学技术局", "dept_b": "淮北市财政局"}', graph=True),
    Example("部门的协作单位（邻域图）",
            "MATCH (d:Department {name: $department})-[r1:LEADS]->(m:Measure)<-[r2:SUPPORTS]-(o:Department)\n"
            "RETURN d, r1, m, r2, o\n"
            "LIMIT 20",
            '{"department": "淮北市科学技术局"}', graph=True),
    Example("政策的承接与引用（路径）",
            "MATCH path = (src:Policy)-[:IMPLEMENTS|CITES*1..3]->(target:Policy)\n"
            "RETURN path\n"
            "LIMIT 10",
            "", graph=True),
    Example("图谱中各类节点的数量（表格）",
            "MATCH (n)\n"
            "RETURN labels(n)[0] AS `类型`, count(*) AS `数量`\n"
            "ORDER BY `数量` DESC"),
)
