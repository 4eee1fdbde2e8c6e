// title: 部门的全部任务
// description: One department's measures across all policies, as lead or support.
// param: department string = 淮北市科学技术局 -- 部门全称或别名
// columns: policy -- 政策; role -- LEADS 牵头 / SUPPORTS 配合; measure -- 措施
MATCH (d:Department)
WHERE d.name = $department OR $department IN coalesce(d.aliases, [])
MATCH (d)-[r:LEADS|SUPPORTS]->(m:Measure)<-[:CONTAINS]-(p:Policy)
RETURN p.title AS policy, type(r) AS role, m.ordinal AS ordinal, m.title AS heading, m.text AS measure, m.deadline AS deadline
ORDER BY policy, role, ordinal
