// title: 各政策的措施与部门数量
// description: 每个已导入政策的措施数、牵头部门数和配合部门数。
MATCH (p:Policy)
WHERE p.version IS NOT NULL
OPTIONAL MATCH (p)-[:CONTAINS]->(m:Measure)
OPTIONAL MATCH (m)<-[:LEADS]-(l:Department)
OPTIONAL MATCH (m)<-[:SUPPORTS]-(s:Department)
RETURN p.title AS `政策`, p.date AS `日期`, count(DISTINCT m) AS `措施数`, count(DISTINCT l) AS `牵头部门数`,
       count(DISTINCT s) AS `配合部门数`
ORDER BY `措施数` DESC, `政策`
