// title: 各政策的措施与部门数量
// description: For every loaded policy: measures, distinct lead departments and distinct supporting departments.
MATCH (p:Policy)
WHERE p.version IS NOT NULL
OPTIONAL MATCH (p)-[:CONTAINS]->(m:Measure)
OPTIONAL MATCH (m)<-[:LEADS]-(l:Department)
OPTIONAL MATCH (m)<-[:SUPPORTS]-(s:Department)
RETURN p.title AS policy, p.date AS date, count(DISTINCT m) AS measures, count(DISTINCT l) AS lead_departments, count(DISTINCT s) AS supporting_departments
ORDER BY measures DESC, policy
