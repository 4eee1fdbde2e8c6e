// title: 两个部门之间的最短协作路径
// description: The shortest chain of shared measures linking two departments (department – measure – department …).
// param: dept_a string = 淮北市科学技术局 -- 起点部门
// param: dept_b string = 淮北市财政局 -- 终点部门
MATCH (a:Department), (b:Department)
WHERE (a.name = $dept_a OR $dept_a IN coalesce(a.aliases, [])) AND (b.name = $dept_b OR $dept_b IN coalesce(b.aliases, []))
WITH a, b
MATCH path = allShortestPaths((a)-[:LEADS|SUPPORTS*..8]-(b))
RETURN [n IN nodes(path) | coalesce(n.name, n.title, n.text)] AS path, length(path) / 2 AS hops
LIMIT 1
