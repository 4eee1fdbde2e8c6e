// title: 政策的牵头/配合矩阵
// description: For one policy, how many of its measures each department leads and supports.
// param: policy string = 淮北 -- 政策标题关键词（简体）
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)<-[r:LEADS|SUPPORTS]-(d:Department)
WHERE p.title_s CONTAINS $policy
RETURN p.title AS policy, d.name AS department,
       toInteger(sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END)) AS leads,
       toInteger(sum(CASE WHEN type(r) = 'SUPPORTS' THEN 1 ELSE 0 END)) AS supports
ORDER BY policy, leads DESC, supports DESC, department
