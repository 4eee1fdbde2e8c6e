// title: 已逾期的措施
// description: 截至某日（默认今天）已过完成时限的措施，按牵头部门统计。
// param: as_of date = 今天 -- 以哪一天为准（默认今天）
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)<-[:LEADS]-(d:Department)
WHERE m.deadline IS NOT NULL AND m.deadline >= '1900' AND m.deadline < $as_of
RETURN d.name AS `部门`, count(DISTINCT m) AS `逾期措施数`, collect(DISTINCT m.deadline) AS `完成时限`
ORDER BY `逾期措施数` DESC, `部门`
