// title: 部门的主要协作单位
// description: 与指定部门在同一措施中出现次数最多的部门。
// param: department string = 淮北市科学技术局 -- 部门全称或别名
// param: limit int = 10 -- 最多返回的协作单位数
MATCH (d:Department)
WHERE d.name = $department OR $department IN coalesce(d.aliases, [])
MATCH (d)-[:LEADS|SUPPORTS]->(m:Measure)<-[:LEADS|SUPPORTS]-(o:Department)
WHERE o.id <> d.id
RETURN o.name AS `协作单位`, count(DISTINCT m) AS `共同措施数`
ORDER BY `共同措施数` DESC, `协作单位`
LIMIT $limit
