// title: 政策的牵头/配合矩阵
// description: 一个政策中，各部门牵头和配合的措施数。
// param: policy string = 淮北 -- 政策标题关键词（简体）
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)<-[r:LEADS|SUPPORTS]-(d:Department)
WHERE p.title_s CONTAINS $policy
RETURN p.title AS `政策`, d.name AS `部门`,
       toInteger(sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END)) AS `牵头`,
       toInteger(sum(CASE WHEN type(r) = 'SUPPORTS' THEN 1 ELSE 0 END)) AS `配合`
ORDER BY `政策`, `牵头` DESC, `配合` DESC, `部门`
