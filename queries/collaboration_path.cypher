// title: 两个部门之间的最短协作路径
// description: 连接两个部门的最短协作链（部门—措施—部门……），以图形显示途经的措施和部门。
// param: dept_a string = 淮北市科学技术局 -- 起点部门
// param: dept_b string = 淮北市财政局 -- 终点部门
MATCH (a:Department), (b:Department)
WHERE (a.name = $dept_a OR $dept_a IN coalesce(a.aliases, [])) AND (b.name = $dept_b OR $dept_b IN coalesce(b.aliases, []))
WITH a, b
MATCH path = allShortestPaths((a)-[:LEADS|SUPPORTS*..8]-(b))
RETURN path AS `路径`, length(path) / 2 AS `步数`
LIMIT 5
