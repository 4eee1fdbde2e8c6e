// title: 平台及其运营单位
// description: Platforms (成果平台, 产业创新服务综合体 …) with the departments that operate them and the policies that name them.
MATCH (pl:Platform)
OPTIONAL MATCH (d:Department)-[:OPERATES]->(pl)
OPTIONAL MATCH (pl)--(p:Policy)
RETURN pl.name AS platform, collect(DISTINCT d.name) AS operators, collect(DISTINCT p.title) AS policies
ORDER BY platform
