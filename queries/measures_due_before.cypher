// title: 指定日期前到期的措施
// description: Measures whose deadline (YYYY-MM or YYYY) falls before a date, with their lead departments.
// param: before date = 2021-01 -- 截止日期（YYYY-MM 或 YYYY-MM-DD）
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)
WHERE m.deadline IS NOT NULL AND m.deadline >= '1900' AND m.deadline < $before
OPTIONAL MATCH (d:Department)-[:LEADS]->(m)
RETURN m.deadline AS deadline, p.title AS policy, m.title AS heading, m.text AS measure, collect(d.name) AS leads
ORDER BY deadline, policy
