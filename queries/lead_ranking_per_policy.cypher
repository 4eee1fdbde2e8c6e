// title: 政策内牵头次数排名
// description: 标题含关键词的政策中，各部门牵头的措施数。
// param: policy string = 淮北 -- 政策标题关键词（简体）
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)<-[:LEADS]-(d:Department)
WHERE p.title_s CONTAINS $policy
RETURN p.title AS `政策`, d.name AS `部门`, count(DISTINCT m) AS `牵头措施数`
ORDER BY `政策`, `牵头措施数` DESC, `部门`
