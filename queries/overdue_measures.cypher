// title: 已逾期的措施
// description: Measures whose deadline has passed as of a date (default: today), by lead department.
// param: as_of date = today -- 以哪一天为准（默认今天）
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)<-[:LEADS]-(d:Department)
WHERE m.deadline IS NOT NULL AND m.deadline >= '1900' AND m.deadline < $as_of
RETURN d.name AS department, count(DISTINCT m) AS overdue, collect(DISTINCT m.deadline) AS deadlines
ORDER BY overdue DESC, department
