// title: 专项行动及其责任部门
// description: Programmes (e.g. 百城百园行动, 科创中国) with the policies that name them and the departments behind those policies' measures.
// param: programme string = 百城百园 -- 行动名称关键词
MATCH (g:Programme)
WHERE g.name CONTAINS $programme
OPTIONAL MATCH (g)--(p:Policy)
OPTIONAL MATCH (p)-[:CONTAINS]->(:Measure)<-[:LEADS]-(d:Department)
RETURN g.name AS programme, collect(DISTINCT p.title) AS policies, collect(DISTINCT d.name) AS lead_departments
ORDER BY programme
