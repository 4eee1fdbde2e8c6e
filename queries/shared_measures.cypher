// title: 两个部门共同参与的措施
// description: 两个部门都被列出的措施，以及各自的角色（牵头或配合）。
// param: dept_a string = 淮北市科学技术局 -- 第一个部门
// param: dept_b string = 淮北市财政局 -- 第二个部门
MATCH (a:Department)-[ra:LEADS|SUPPORTS]->(m:Measure)<-[rb:LEADS|SUPPORTS]-(b:Department)
WHERE (a.name = $dept_a OR $dept_a IN coalesce(a.aliases, [])) AND (b.name = $dept_b OR $dept_b IN coalesce(b.aliases, []))
MATCH (p:Policy)-[:CONTAINS]->(m)
RETURN p.title AS `政策`, m.title AS `标题`, m.text AS `措施`,
       CASE type(ra) WHEN 'LEADS' THEN '牵头' ELSE '配合' END AS `第一个部门的角色`,
       CASE type(rb) WHEN 'LEADS' THEN '牵头' ELSE '配合' END AS `第二个部门的角色`
ORDER BY `政策`, `措施`
