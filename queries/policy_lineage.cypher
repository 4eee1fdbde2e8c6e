// title: 政策的承接与引用
// description: 承接或引用某一政策的政策，最多三级（国家→省→市），以图形显示承接链。
// param: policy string = 科技成果转化 -- 被承接政策的标题关键词（简体）
MATCH (target:Policy)
WHERE target.title_s CONTAINS $policy OR target.title CONTAINS $policy
MATCH path = (src:Policy)-[:IMPLEMENTS|CITES*1..3]->(target)
RETURN target.title AS `政策`, src.title AS `承接政策`, length(path) AS `级数`, path AS `承接链`
ORDER BY `政策`, `级数`, `承接政策`
