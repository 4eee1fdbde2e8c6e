// title: 指定日期前到期的措施
// description: 完成时限（年-月或年）早于指定日期的措施及其牵头部门。
// param: before date = 2021-01 -- 截止日期（YYYY-MM 或 YYYY-MM-DD）
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)
WHERE m.deadline IS NOT NULL AND m.deadline >= '1900' AND m.deadline < $before
OPTIONAL MATCH (d:Department)-[:LEADS]->(m)
RETURN m.deadline AS `完成时限`, p.title AS `政策`, m.title AS `标题`, m.text AS `措施`, collect(d.name) AS `牵头部门`
ORDER BY `完成时限`, `政策`
