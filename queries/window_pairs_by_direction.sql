-- How do the common-window pairs split: did the later or the earlier answer win the window, and does the shp run
-- build the same answer pair? With simulated forums, how often the label agrees with the hidden quality in each part.
WITH window AS (
    SELECT x.* FROM pairs x JOIN pair_runs r ON r.id = x.run_id WHERE r.policy = 'common-window'),
shp AS (
    SELECT x.* FROM pairs x JOIN pair_runs r ON r.id = x.run_id WHERE r.policy = 'shp'),
labelled AS (
    SELECT EXISTS (SELECT 1 FROM shp s WHERE s.post_pk = w.post_pk
                     AND ((s.preferred_pk = w.preferred_pk AND s.other_pk = w.other_pk)
                       OR (s.preferred_pk = w.other_pk AND s.other_pk = w.preferred_pk))) AS also_in_shp,
           p.created_utc > o.created_utc AS later_answer_won,
           gp.quality > go.quality AS label_agrees_with_quality
    FROM window w
    JOIN comments p ON p.pk = w.preferred_pk JOIN comments o ON o.pk = w.other_pk
    LEFT JOIN ground_truth gp ON gp.comment_pk = w.preferred_pk LEFT JOIN ground_truth go ON go.comment_pk = w.other_pk)
SELECT also_in_shp, later_answer_won, count(*) AS pairs,
       round(100.0 * avg(label_agrees_with_quality), 1) AS label_accuracy_percent
FROM labelled GROUP BY 1, 2 ORDER BY 1, 2;
