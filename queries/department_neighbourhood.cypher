// title: 部门的协作邻域
// description: 一个部门与在同一措施中出现的其他部门（牵头或配合），以图形显示部门、措施和它们之间的关系。
// param: department string = 淮北市科学技术局 -- 部门全称或别名
// param: limit int = 40 -- 最多返回的协作关系数
MATCH (d:Department)
WHERE d.name = $department OR $department IN coalesce(d.aliases, [])
MATCH (d)-[r:LEADS|SUPPORTS]->(m:Measure)<-[r2:LEADS|SUPPORTS]-(o:Department)
WHERE o.id <> d.id
RETURN d AS `部门`, r AS `角色`, m AS `措施`, r2 AS `协作角色`, o AS `协作单位`
ORDER BY m.id, o.name
LIMIT $limit
