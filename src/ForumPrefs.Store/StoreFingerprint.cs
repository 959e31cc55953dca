using ForumPrefs.Store.Reads;
using Microsoft.Data.Sqlite;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ForumPrefs.Store;

/// <summary>
/// The store's logical content: row counts per table and one SHA-256 over every stored value, with surrogate keys
/// (pk, forum_id, run ids) replaced by the natural keys they stand for and wall-clock bookkeeping (checkpoint and pair-run
/// times) left out. Two stores with the same fingerprint hold the same data, whatever order it was written in.
/// </summary>
public sealed record StoreFingerprint(IReadOnlyDictionary<string, long> RowCounts, string Sha256)
{
    // Each table as rows of natural keys and values, in a total order.
    private static readonly (string Table, string Sql)[] Tables =
    [
        ("forums", "SELECT source, name FROM forums ORDER BY 1, 2"),
        ("posts", """
            SELECT f.source, f.name, p.id, p.title, p.body, p.author, p.score, p.upvote_ratio, p.created_utc, p.edited_utc,
                   p.over_18, p.is_self, p.distinguished, p.url, p.num_comments, p.observed_utc, p.first_score,
                   p.first_observed_utc, p.accepted_answer_id, p.seen_utc, p.tags, p.meta, p.tags_seen_utc, p.meta_seen_utc
            FROM posts p JOIN forums f ON f.id = p.forum_id ORDER BY 1, 2, 3
            """),
        ("comments", """
            SELECT f.source, f.name, c.post_id, c.id, c.parent_id, c.depth, c.body, c.author, c.score, c.created_utc,
                   c.edited_utc, c.distinguished, c.stickied, c.is_submitter, c.observed_utc, c.first_score,
                   c.first_observed_utc, c.seen_utc, c.score_hidden, c.meta, c.meta_seen_utc
            FROM comments c JOIN forums f ON f.id = c.forum_id ORDER BY 1, 2, 3, 4
            """),
        ("score_snapshots", """
            SELECT s.item_kind, f.source, f.name, coalesce(c.post_id, p.id), coalesce(c.id, ''), s.observed_utc, s.score
            FROM score_snapshots s
            LEFT JOIN comments c ON s.item_kind = 'comment' AND c.pk = s.item_pk
            LEFT JOIN posts p ON s.item_kind = 'post' AND p.pk = s.item_pk
            JOIN forums f ON f.id = coalesce(c.forum_id, p.forum_id)
            ORDER BY 1, 2, 3, 4, 5, 6
            """),
        ("ground_truth", """
            SELECT f.source, f.name, c.post_id, c.id, g.quality FROM ground_truth g
            JOIN comments c ON c.pk = g.comment_pk JOIN forums f ON f.id = c.forum_id ORDER BY 1, 2, 3, 4
            """),
        ("checkpoints", "SELECT source, key, state FROM checkpoints ORDER BY 1, 2"),
        ("pending_sightings", """
            SELECT f.source, f.name, s.is_post, s.post_id, s.id, s.observed_utc, s.score FROM pending_sightings s
            JOIN forums f ON f.id = s.forum_id ORDER BY 1, 2, 3, 4, 5, 6
            """),
        ("pair_runs", """
            SELECT r.policy, f.source, f.name, r.options, r.report FROM pair_runs r JOIN forums f ON f.id = r.forum_id ORDER BY 1, 2, 3
            """),
        ("pairs", """
            SELECT r.policy, f.source, f.name, p.id, a.id, b.id, x.preferred_score, x.other_score, x.score_ratio, x.margin,
                   x.split, x.preferred_is_a
            FROM pairs x JOIN pair_runs r ON r.id = x.run_id JOIN forums f ON f.id = r.forum_id
            JOIN posts p ON p.pk = x.post_pk JOIN comments a ON a.pk = x.preferred_pk JOIN comments b ON b.pk = x.other_pk
            ORDER BY 1, 2, 3, 4, 5, 6
            """),
    ];

    internal static StoreFingerprint Of(SqliteConnection connection)
    {
        var counts = new Dictionary<string, long>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (table, sql) in Tables)
        {
            long rows = 0;
            hash.AppendData(Encoding.UTF8.GetBytes($"\u001d{table}\u001e"));
            foreach (var row in connection.Query(sql, r => string.Concat(Enumerable.Range(0, r.FieldCount).Select(i => Render(r, i) + "\u001f"))))
            {
                rows++;
                hash.AppendData(Encoding.UTF8.GetBytes(row));
                hash.AppendData("\u001e"u8);
            }
            counts[table] = rows;
        }
        return new StoreFingerprint(counts, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string Render(SqliteDataReader reader, int i) => reader.IsDBNull(i)
        ? "\u2205"
        : reader.GetValue(i) switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        };

    public override string ToString() =>
        string.Join(", ", RowCounts.Select(c => $"{c.Key} {c.Value}")) + $"; sha256 {Sha256}";
}
