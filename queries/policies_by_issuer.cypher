// title: 发文机关及其政策
// description: Each issuing body with the policies it issued and how many measures they contain.
MATCH (d:Department)-[:ISSUED]->(p:Policy)
OPTIONAL MATCH (p)-[:CONTAINS]->(m:Measure)
RETURN d.name AS issuer, p.title AS policy, p.date AS date, count(m) AS measures
ORDER BY issuer, date
