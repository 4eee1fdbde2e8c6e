// title: 专项行动及其责任部门
// description: 专项行动（如百城百园行动、科创中国）及提到或由其措施落实它们的政策和这些政策措施的牵头部门。
// param: programme string = 百城百园 -- 行动名称关键词
MATCH (g:Programme)
WHERE g.name CONTAINS $programme
OPTIONAL MATCH (g)--(x)
WHERE x:Policy OR x:Measure
OPTIONAL MATCH (p:Policy)-[:CONTAINS*0..1]->(x)
OPTIONAL MATCH (p)-[:CONTAINS]->(:Measure)<-[:LEADS]-(d:Department)
RETURN g.name AS `专项行动`, collect(DISTINCT p.title) AS `政策`, collect(DISTINCT d.name) AS `牵头部门`
ORDER BY `专项行动`
