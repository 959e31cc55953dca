-- Which posts drew the most comments, per forum (the threads that yield the most pairs)?
SELECT f.source, f.name AS forum, p.id AS post_id, p.score, p.num_comments,
       (SELECT count(*) FROM comments c WHERE c.forum_id = p.forum_id AND c.post_id = p.id) AS stored_comments,
       substr(p.title, 1, 60) AS title
FROM posts p JOIN forums f ON f.id = p.forum_id
ORDER BY stored_comments DESC
LIMIT 20;
