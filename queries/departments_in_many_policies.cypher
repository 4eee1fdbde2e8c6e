// title: 跨多个政策的部门
// description: Departments named (as lead or support) in at least N policies.
// param: min_policies int = 2 -- 至少出现在几个政策中
MATCH (d:Department)-[:LEADS|SUPPORTS]->(:Measure)<-[:CONTAINS]-(p:Policy)
WITH d, count(DISTINCT p) AS policies, collect(DISTINCT p.title) AS titles
WHERE policies >= $min_policies
RETURN d.name AS department, d.region AS region, policies, titles
ORDER BY policies DESC, department
