// title: 指定日期有效的政策
// description: 指定日期有效的已导入政策：当日已施行（施行日期，无则按发文日期）、未过有效期，且未被当日已施行的已导入政策废止。
// param: on date = 2024-06-01 -- 日期（YYYY-MM-DD）
MATCH (p:Policy)
WHERE p.version IS NOT NULL
  AND coalesce(p.effective_from, p.date, '') <= $on
  AND (p.valid_until IS NULL OR left($on, size(p.valid_until)) <= p.valid_until)
OPTIONAL MATCH (q:Policy)-[c:CITES]->(p)
WHERE c.repeals = true AND q.version IS NOT NULL AND coalesce(q.effective_from, q.date, '') <= $on
WITH p, count(q) AS repealed
WHERE repealed = 0
RETURN p.title AS `政策`, p.doc_number AS `文号`, coalesce(p.effective_from, p.date) AS `施行日期`,
       p.valid_until AS `有效期至`
ORDER BY `施行日期` DESC, `政策`
