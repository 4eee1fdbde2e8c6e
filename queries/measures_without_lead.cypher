// title: 未明确牵头单位的措施
// description: 没有找到牵头部门的措施（供人工核对）。
// param: limit int = 100 -- 最多返回的措施数
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)
WHERE NOT (m)<-[:LEADS]-(:Department)
RETURN p.title AS `政策`, m.ordinal AS `序号`, m.title AS `标题`, m.text AS `措施`
ORDER BY `政策`, `序号`
LIMIT $limit
