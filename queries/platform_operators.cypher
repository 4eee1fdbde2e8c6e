// title: 平台及其运营单位
// description: 各类平台（成果平台、产业创新服务综合体等）及其运营部门和提到它们的政策。
MATCH (pl:Platform)
OPTIONAL MATCH (d:Department)-[:OPERATES]->(pl)
OPTIONAL MATCH (pl)--(p:Policy)
RETURN pl.name AS `平台`, collect(DISTINCT d.name) AS `运营单位`, collect(DISTINCT p.title) AS `政策`
ORDER BY `平台`
