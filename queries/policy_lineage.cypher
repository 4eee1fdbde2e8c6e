// title: 政策的承接与引用
// description: Loaded policies that implement or cite a given policy, directly or through up to three loaded policies (national → provincial → city → district), with the longest chain of loaded policies between them (the levels it passed through).
// param: policy string = 科技成果转化 -- 被承接政策的标题关键词（简繁均可）
MATCH (target:Policy)
WHERE target.version IS NOT NULL AND (target.title_s CONTAINS $policy OR target.title CONTAINS $policy)
MATCH path = (src:Policy)-[:IMPLEMENTS|CITES*1..3]->(target)
WHERE all(n IN nodes(path) WHERE n.version IS NOT NULL)
WITH target, src, path ORDER BY length(path) DESC
WITH target, src, collect(path)[0] AS chain
RETURN target.title AS `被承接政策`, src.title AS `承接政策`, length(chain) AS `层数`,
       [n IN nodes(chain) | n.title] AS `承接链`
ORDER BY `被承接政策`, `层数`, `承接政策`
