// title: 发文机关及其政策
// description: 每个发文机关发布的政策及各政策包含的措施数。
MATCH (d:Department)-[:ISSUED]->(p:Policy)
OPTIONAL MATCH (p)-[:CONTAINS]->(m:Measure)
RETURN d.name AS `发文机关`, p.title AS `政策`, p.date AS `日期`, count(m) AS `措施数`
ORDER BY `发文机关`, `日期`
