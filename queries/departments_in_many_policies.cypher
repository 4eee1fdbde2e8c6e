// title: 跨多个政策的部门
// description: 在至少若干个（可设定）政策中被列为牵头或配合单位的部门。
// param: min_policies int = 2 -- 至少出现在几个政策中
MATCH (d:Department)-[:LEADS|SUPPORTS]->(:Measure)<-[:CONTAINS]-(p:Policy)
WITH d, count(DISTINCT p) AS policies, collect(DISTINCT p.title) AS titles
WHERE policies >= $min_policies
RETURN d.name AS `部门`, d.region AS `地区`, policies AS `政策数`, titles AS `政策`
ORDER BY `政策数` DESC, `部门`
