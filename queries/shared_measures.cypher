// title: 两个部门共同参与的措施
// description: Measures on which both departments are named, with each one's role.
// param: dept_a string = 淮北市科学技术局 -- 第一个部门
// param: dept_b string = 淮北市财政局 -- 第二个部门
MATCH (a:Department)-[ra:LEADS|SUPPORTS]->(m:Measure)<-[rb:LEADS|SUPPORTS]-(b:Department)
WHERE (a.name = $dept_a OR $dept_a IN coalesce(a.aliases, [])) AND (b.name = $dept_b OR $dept_b IN coalesce(b.aliases, []))
MATCH (p:Policy)-[:CONTAINS]->(m)
RETURN p.title AS policy, m.title AS heading, m.text AS measure, type(ra) AS role_a, type(rb) AS role_b
ORDER BY policy, measure
