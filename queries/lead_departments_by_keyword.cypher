// title: 关键词措施的牵头部门
// description: 哪些部门牵头了正文或标题含有关键词（简体）的措施，按这类措施的数量排序。
// param: keyword string = 中试基地 -- 措施关键词（简体）
// param: limit int = 20 -- 最多返回的部门数
MATCH (d:Department)-[:LEADS]->(m:Measure)<-[:CONTAINS]-(p:Policy)
WHERE m.text_s CONTAINS $keyword OR m.title_s CONTAINS $keyword
RETURN d.name AS `部门`, d.id AS `部门编号`, count(DISTINCT m) AS `牵头措施数`, collect(DISTINCT p.title) AS `政策`
ORDER BY `牵头措施数` DESC, `部门`
LIMIT $limit
