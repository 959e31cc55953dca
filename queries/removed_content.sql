-- How much content was deleted or removed per forum (text and author are no longer stored for these)?
SELECT f.source, f.name AS forum,
       sum(c.body = '[deleted]') AS deleted_comments, sum(c.body = '[removed]') AS removed_comments,
       sum(c.author = '[deleted]' AND c.body NOT IN ('[deleted]', '[removed]')) AS deleted_authors_only,
       count(*) AS comments
FROM comments c JOIN forums f ON f.id = c.forum_id
GROUP BY f.id ORDER BY f.source, f.name;
