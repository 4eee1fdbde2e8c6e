// title: 部门的报送链
// description: To whom a department reports (报送/上报), up to four levels, and who reports to it.
// param: department string = 科学技术部 -- 部门全称或别名
MATCH (d:Department)
WHERE d.name = $department OR $department IN coalesce(d.aliases, [])
MATCH path = (a:Department)-[:REPORTS_TO*1..4]->(b:Department)
WHERE a.id = d.id OR b.id = d.id
RETURN [n IN nodes(path) | n.name] AS chain, length(path) AS levels
ORDER BY levels, chain
