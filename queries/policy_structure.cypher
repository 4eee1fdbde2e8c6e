// title: 政策的措施与牵头部门
// description: 一个政策包含的措施及各措施的牵头部门，以图形显示政策—措施—部门。
// param: policy string = 淮北 -- 政策标题关键词（简体）
// param: limit int = 60 -- 最多返回的措施—部门对数
MATCH (p:Policy)
WHERE p.title_s CONTAINS $policy
MATCH (p)-[c:CONTAINS]->(m:Measure)<-[r:LEADS]-(d:Department)
RETURN p AS `政策`, c AS `包含`, m AS `措施`, r AS `牵头`, d AS `牵头部门`
ORDER BY m.ordinal
LIMIT $limit
