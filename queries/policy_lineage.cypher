// title: 政策的承接与引用
// description: 承接或引用某一已导入政策的已导入政策，直接或经最多三级（国家→省→市→区县），列出其间最长的一条承接链，并以图形显示。
// param: policy string = 科技成果转化 -- 被承接政策的标题关键词（简繁均可）
MATCH (target:Policy)
WHERE target.version IS NOT NULL AND (target.title_s CONTAINS $policy OR target.title CONTAINS $policy)
MATCH path = (src:Policy)-[:IMPLEMENTS|CITES*1..3]->(target)
WHERE all(n IN nodes(path) WHERE n.version IS NOT NULL)
WITH target, src, path ORDER BY length(path) DESC
WITH target, src, collect(path)[0] AS chain
RETURN target.title AS `被承接政策`, src.title AS `承接政策`, length(chain) AS `层数`,
       [n IN nodes(chain) | n.title] AS `承接链`, chain AS `路径`
ORDER BY `被承接政策`, `层数`, `承接政策`
