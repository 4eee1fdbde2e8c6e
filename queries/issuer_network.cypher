// title: 发文机关与政策的关系图
// description: 发文机关发布的政策，以及政策之间的承接和引用关系，以图形显示。
// param: limit int = 80 -- 最多返回的关系数
MATCH (d:Department)-[r:ISSUED|IMPLEMENTS|CITES]->(p:Policy)
RETURN d AS `起点`, r AS `关系`, p AS `政策`
LIMIT $limit
