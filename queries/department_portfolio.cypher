// title: 部门的全部任务
// description: 一个部门在所有政策中牵头或配合的措施。
// param: department string = 淮北市科学技术局 -- 部门全称或别名
MATCH (d:Department)
WHERE d.name = $department OR $department IN coalesce(d.aliases, [])
MATCH (d)-[r:LEADS|SUPPORTS]->(m:Measure)<-[:CONTAINS]-(p:Policy)
RETURN p.title AS `政策`, CASE type(r) WHEN 'LEADS' THEN '牵头' ELSE '配合' END AS `角色`, m.ordinal AS `序号`,
       m.title AS `标题`, m.text AS `措施`, m.deadline AS `完成时限`
ORDER BY `政策`, `角色`, `序号`
