-- How many comments and top-level answers do posts have (the spread SHP's 50-comment cap acts on)?
WITH per_post AS (
    SELECT p.forum_id, p.id,
           count(c.pk) AS comments,
           count(c.pk) FILTER (WHERE c.depth = 0) AS top_level
    FROM posts p LEFT JOIN comments c ON c.forum_id = p.forum_id AND c.post_id = p.id
    GROUP BY p.forum_id, p.id)
SELECT f.source, f.name AS forum, count(*) AS posts,
       round(avg(comments), 1) AS mean_comments, max(comments) AS max_comments,
       round(avg(top_level), 1) AS mean_top_level,
       sum(top_level > 50) AS posts_over_50_top_level
FROM per_post JOIN forums f ON f.id = per_post.forum_id
GROUP BY f.id
ORDER BY f.source, f.name;
