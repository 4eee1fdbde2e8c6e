// title: 部门的报送链
// description: 一个部门向谁报送（报送、上报），最多四级，以及谁向它报送；以图形显示报送链。
// param: department string = 科学技术部 -- 部门全称或别名
MATCH (d:Department)
WHERE d.name = $department OR $department IN coalesce(d.aliases, [])
MATCH path = (a:Department)-[:REPORTS_TO*1..4]->(b:Department)
WHERE a.id = d.id OR b.id = d.id
RETURN path AS `报送链`, length(path) AS `级数`
ORDER BY `级数`
