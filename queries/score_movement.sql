-- How did scores move between crawls? Comments seen with more than one score, largest moves first.
WITH history AS (
    SELECT item_pk, min(observed_utc) AS first_seen, max(observed_utc) AS last_seen, count(*) AS sightings
    FROM score_history WHERE item_kind = 'comment' GROUP BY item_pk HAVING count(*) > 1)
SELECT c.id AS comment_id, c.post_id, h.sightings,
       c.first_score, c.score AS latest_score, c.score - c.first_score AS moved,
       datetime(h.first_seen, 'unixepoch') AS first_seen, datetime(h.last_seen, 'unixepoch') AS last_seen
FROM history h JOIN comments c ON c.pk = h.item_pk
ORDER BY abs(c.score - c.first_score) DESC
LIMIT 50;
