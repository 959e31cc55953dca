using ForumPrefs.Core;

namespace ForumPrefs.Store;

/// <summary>
/// Reads a run's pairs back with their texts as stored now. A pair whose post or answer was deleted since the run
/// was built is skipped and counted: deleted content must leave every export.
/// </summary>
public static class PairReader
{
    public sealed class Counts
    {
        public long Read { get; set; }
        public long SkippedDeleted { get; set; }
    }

    public static IEnumerable<PreferencePair> Read(ForumStore store, PairRun run, Counts counts)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = """
            SELECT p.id, p.title, p.body, p.upvote_ratio, p.url,
                   a.id, a.body, a.author, pr.preferred_score, a.created_utc, ga.quality,
                   b.id, b.body, b.author, pr.other_score, b.created_utc, gb.quality,
                   pr.score_ratio, pr.margin, pr.split, pr.preferred_is_a
            FROM pairs pr
            JOIN posts p ON p.pk = pr.post_pk
            JOIN comments a ON a.pk = pr.preferred_pk
            JOIN comments b ON b.pk = pr.other_pk
            LEFT JOIN ground_truth ga ON ga.comment_pk = a.pk
            LEFT JOIN ground_truth gb ON gb.comment_pk = b.pk
            WHERE pr.run_id = $run
            ORDER BY p.id, a.id, b.id
            """;
        command.Parameters.AddWithValue("$run", run.Id);
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            counts.Read++;
            var (title, body, preferredText, otherText) = (r.GetString(1), r.GetString(2), r.GetString(6), r.GetString(12));
            if (DeletedContent.IsMarker(preferredText) || DeletedContent.IsMarker(otherText))
            {
                counts.SkippedDeleted++;
                continue;
            }
            var history = DeletedContent.IsMarker(body) || body.Length == 0 ? title : $"{title}\n\n{body}";
            var preferred = new PairedAnswer(r.GetString(5), preferredText, r.GetString(7), r.GetInt32(8),
                DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(9)), r.IsDBNull(10) ? null : r.GetDouble(10));
            var other = new PairedAnswer(r.GetString(11), otherText, r.GetString(13), r.GetInt32(14),
                DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(15)), r.IsDBNull(16) ? null : r.GetDouble(16));
            yield return new PreferencePair(run.Forum, r.GetString(0), history, r.IsDBNull(3) ? null : r.GetDouble(3),
                r.IsDBNull(4) ? null : r.GetString(4), preferred, other, r.GetDouble(17), r.GetDouble(18),
                Enum.Parse<Split>(r.GetString(19), ignoreCase: true), r.GetInt64(20) != 0);
        }
    }
}
