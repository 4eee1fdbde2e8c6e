// title: 部门的主要协作单位
// description: The departments most often named on the same measures as the given department.
// param: department string = 淮北市科学技术局 -- 部门全称或别名
// param: limit int = 10 -- 最多返回的协作单位数
MATCH (d:Department)
WHERE d.name = $department OR $department IN coalesce(d.aliases, [])
MATCH (d)-[:LEADS|SUPPORTS]->(m:Measure)<-[:LEADS|SUPPORTS]-(o:Department)
WHERE o.id <> d.id
RETURN o.name AS collaborator, count(DISTINCT m) AS shared_measures
ORDER BY shared_measures DESC, collaborator
LIMIT $limit
