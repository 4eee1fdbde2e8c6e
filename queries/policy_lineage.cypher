// title: 政策的承接与引用
// description: Policies that implement or cite a given policy, up to three steps (national → provincial → city).
// param: policy string = 科技成果转化 -- 被承接政策的标题关键词（简体）
MATCH (target:Policy)
WHERE target.title_s CONTAINS $policy OR target.title CONTAINS $policy
MATCH path = (src:Policy)-[:IMPLEMENTS|CITES*1..3]->(target)
RETURN target.title AS policy, src.title AS follower, length(path) AS steps, [r IN relationships(path) | type(r)] AS links
ORDER BY policy, steps, follower
