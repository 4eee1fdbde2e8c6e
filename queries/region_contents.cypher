// title: 地区内的部门与政策
// description: 位于某地区（直接或经下级地区，如淮北市属于安徽省）的全部条目，按类型统计。
// param: region string = 安徽省 -- 地区名称
MATCH (r:Region {name: $region})
MATCH (x)-[:LOCATED_IN*1..4]->(r)
WITH CASE labels(x)[0] WHEN 'Department' THEN '部门' WHEN 'Policy' THEN '政策' WHEN 'Region' THEN '地区'
          WHEN 'Platform' THEN '平台' WHEN 'Programme' THEN '专项行动' WHEN 'Measure' THEN '措施'
          ELSE labels(x)[0] END AS kind, x
RETURN kind AS `类型`, count(DISTINCT x) AS `数量`, collect(DISTINCT coalesce(x.name, x.title)) AS `名称`
ORDER BY `类型`
