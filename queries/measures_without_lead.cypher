// title: 未明确牵头单位的措施
// description: Measures for which no lead department was found (to review by hand).
// param: limit int = 100 -- 最多返回的措施数
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)
WHERE NOT (m)<-[:LEADS]-(:Department)
RETURN p.title AS policy, m.ordinal AS ordinal, m.title AS heading, m.text AS measure
ORDER BY policy, ordinal
LIMIT $limit
