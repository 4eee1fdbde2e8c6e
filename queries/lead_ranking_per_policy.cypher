// title: 政策内牵头次数排名
// description: For policies whose title contains a keyword, how many measures each department leads.
// param: policy string = 淮北 -- 政策标题关键词（简体）
MATCH (p:Policy)-[:CONTAINS]->(m:Measure)<-[:LEADS]-(d:Department)
WHERE p.title_s CONTAINS $policy
RETURN p.title AS policy, d.name AS department, count(DISTINCT m) AS measures_led
ORDER BY policy, measures_led DESC, department
