-- How are comment scores spread in each forum (how many would pass SHP's score >= 2 rule)?
SELECT f.source, f.name AS forum,
       CASE WHEN c.score < 2 THEN '< 2' WHEN c.score < 10 THEN '2-9' WHEN c.score < 100 THEN '10-99'
            WHEN c.score < 1000 THEN '100-999' ELSE '>= 1000' END AS score_band,
       count(*) AS comments,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY f.id), 1) AS percent
FROM comments c JOIN forums f ON f.id = c.forum_id
GROUP BY f.id, score_band
ORDER BY f.source, f.name, min(c.score);
