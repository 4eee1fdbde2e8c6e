// title: 地区内的部门与政策
// description: Everything located in a region, directly or through its sub-regions (淮北市 is in 安徽省), by kind.
// param: region string = 安徽省 -- 地区名称
MATCH (r:Region {name: $region})
MATCH (x)-[:LOCATED_IN*1..4]->(r)
RETURN labels(x)[0] AS kind, count(DISTINCT x) AS items, collect(DISTINCT coalesce(x.name, x.title)) AS names
ORDER BY kind
