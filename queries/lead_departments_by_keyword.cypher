// title: 关键词措施的牵头部门
// description: Which departments lead measures whose text or heading contains a keyword (simplified characters), ranked by the number of such measures.
// param: keyword string = 中试基地 -- 措施关键词（简体）
// param: limit int = 20 -- 最多返回的部门数
// columns: department -- 部门; measures -- 牵头的匹配措施数; policies -- 出自哪些政策
MATCH (d:Department)-[:LEADS]->(m:Measure)<-[:CONTAINS]-(p:Policy)
WHERE m.text_s CONTAINS $keyword OR m.title_s CONTAINS $keyword
RETURN d.name AS department, d.id AS department_id, count(DISTINCT m) AS measures, collect(DISTINCT p.title) AS policies
ORDER BY measures DESC, department
LIMIT $limit
