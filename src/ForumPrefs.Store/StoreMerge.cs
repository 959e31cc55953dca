using ForumPrefs.Store.Reads;
using Microsoft.Data.Sqlite;
using System.Globalization;

namespace ForumPrefs.Store;

/// <summary>What merging another store into this one did.</summary>
/// <param name="PostsRead">Posts of the other store, each merged as a sighting of this store's post.</param>
/// <param name="PostsNew">Of those, posts this store did not hold.</param>
/// <param name="SnapshotsAdded">Score sightings that joined this store's history.</param>
/// <param name="PendingApplied">Score sightings waiting for their item (here or there) that met it in the merge.</param>
/// <param name="CheckpointsCarried">Checkpoints of files this store had not read: a later ingest of them resumes.</param>
/// <param name="CheckpointsKept">Checkpoints both stores hold with different states: this store's was kept.</param>
/// <param name="StalePairRuns">Pair runs of merged forums, built before the merge: run <c>pairs</c> again.</param>
/// <param name="Resumed">An interrupted merge of the same, unchanged store went on where it stopped (the counts are this run's).</param>
public sealed record MergeReport(string Source, long PostsRead, long PostsNew, long CommentsRead, long CommentsNew,
    long SnapshotsAdded, long PendingApplied, long CheckpointsCarried, long CheckpointsKept, DepthReport Depths, long StalePairRuns,
    bool Resumed = false);

/// <summary>Rows of the other store merged so far, of its total.</summary>
public readonly record struct MergeProgress(long Done, long Total);

/// <summary>
/// Merges another store into this one, every row of it a sighting under the same rules as an ingest's (content
/// follows the newest sighting, removed text stays removed, the earliest score is first_score, every other one a row
/// of score_snapshots), so the merged store is the one that would have read both stores' inputs, in any order, and
/// merging the same store twice changes nothing. The other store is attached and only read. Its rows are merged in
/// chunks of its primary keys, a transaction each, which also saves how far it got: a killed merge run again goes on
/// after its last chunk (<see cref="MergeResume"/>).
/// Pair runs are not merged: they are rebuilt from the merged rows.
/// </summary>
internal static class StoreMerge
{
    public const int DefaultChunkRows = 50_000;
    private const string Other = "merge_source";

    // The other store's forum, as this store numbers it (forums are added first).
    private static string Forum(string alias) => $"""
        JOIN {Other}.forums sf ON sf.id = {alias}.forum_id
        JOIN main.forums tf ON tf.source = sf.source AND tf.name = sf.name
        """;

    private static readonly string Posts = $"""
        INSERT INTO main.posts({ThreadWriter.PostColumnNames})
        SELECT tf.id, p.id, p.title, p.body, p.author, p.score, p.upvote_ratio, p.created_utc, p.edited_utc, p.over_18,
               p.is_self, p.distinguished, p.url, p.num_comments, p.observed_utc, p.first_score, p.first_observed_utc,
               p.accepted_answer_id, p.seen_utc, p.tags, p.meta, p.tags_seen_utc, p.meta_seen_utc
        FROM {Other}.posts p {Forum("p")}
        WHERE p.pk > $lo AND p.pk <= $hi
        {ThreadWriter.PostConflict(mergesRows: true)}
        """;

    private static readonly string Comments = $"""
        INSERT INTO main.comments({ThreadWriter.CommentColumnNames})
        SELECT tf.id, c.id, c.post_id, c.parent_id, c.depth, c.body, c.author, c.score, c.created_utc, c.edited_utc,
               c.distinguished, c.stickied, c.is_submitter, c.observed_utc, c.score_hidden, c.meta, c.first_score,
               c.first_observed_utc, c.seen_utc, c.meta_seen_utc
        FROM {Other}.comments c {Forum("c")}
        WHERE c.pk > $lo AND c.pk <= $hi
        {ThreadWriter.CommentConflict(mergesRows: true)}
        """;

    // The other store's row in this store, after its upsert.
    private const string PostHere = "JOIN main.posts t ON t.forum_id = tf.id AND t.id = p.id";
    private const string CommentHere = "JOIN main.comments t ON t.forum_id = tf.id AND t.post_id = c.post_id AND t.id = c.id";

    // Every sighting of the other store but the merged row's earliest joins score_snapshots: its own snapshots, and
    // its earliest sighting where this store's is earlier still (the trigger moves this store's former earliest). A
    // comment whose score was never shown has no sightings.
    private static string[] Sightings(string kind, string table, string alias, string here, string shown) =>
    [
        $"""
        INSERT INTO main.score_snapshots(item_kind, item_pk, observed_utc, score)
        SELECT '{kind}', t.pk, s.observed_utc, s.score
        FROM {Other}.{table} {alias} {Forum(alias)} {here}
        JOIN {Other}.score_snapshots s ON s.item_kind = '{kind}' AND s.item_pk = {alias}.pk
        WHERE {alias}.pk > $lo AND {alias}.pk <= $hi AND s.observed_utc <> t.first_observed_utc
        """ + ScoreMerge.SnapshotConflict,
        $"""
        INSERT INTO main.score_snapshots(item_kind, item_pk, observed_utc, score)
        SELECT '{kind}', t.pk, {alias}.first_observed_utc, {alias}.first_score
        FROM {Other}.{table} {alias} {Forum(alias)} {here}
        WHERE {alias}.pk > $lo AND {alias}.pk <= $hi{shown} AND {alias}.first_observed_utc <> t.first_observed_utc
        """ + ScoreMerge.SnapshotConflict,
    ];

    private static readonly string[] PostSightings = Sightings("post", "posts", "p", PostHere, "");

    private static readonly string[] CommentSightings =
    [
        .. Sightings("comment", "comments", "c", CommentHere, " AND c.score_hidden = 0"),
        $"""
        INSERT INTO main.ground_truth(comment_pk, quality)
        SELECT t.pk, g.quality
        FROM {Other}.comments c {Forum("c")} {CommentHere}
        JOIN {Other}.ground_truth g ON g.comment_pk = c.pk
        WHERE c.pk > $lo AND c.pk <= $hi
        ON CONFLICT(comment_pk) DO UPDATE SET quality = excluded.quality
        """,
        // Replies of these posts may now find their parents (here or there): the depth resolver looks at them.
        $"""
        INSERT OR IGNORE INTO main.touched_posts(forum_id, post_id)
        SELECT DISTINCT tf.id, c.post_id FROM {Other}.comments c {Forum("c")}
        WHERE c.pk > $lo AND c.pk <= $hi
        """,
    ];

    public static MergeReport Run(SqliteConnection connection, ScoreSightingWriter sightings, string path,
        IProgress<MergeProgress>? progress, CancellationToken cancellationToken, int chunkRows = DefaultChunkRows)
    {
        var files = MergeResume.SignatureOf(path);
        Execute(connection, null, $"ATTACH DATABASE $path AS {Other}", ("$path", path));
        try
        {
            var key = Text(connection, $"SELECT value FROM {Other}.store_meta WHERE key = 'store_id'");
            var posts = Count(connection, null, $"SELECT count(*) FROM {Other}.posts");
            var comments = Count(connection, null, $"SELECT count(*) FROM {Other}.comments");
            var total = posts + comments;
            var lastPost = Count(connection, null, $"SELECT coalesce(max(pk), 0) FROM {Other}.posts");
            var lastComment = Count(connection, null, $"SELECT coalesce(max(pk), 0) FROM {Other}.comments");
            // The rows and the last keys too, where a file system keeps write times to the second only.
            var signature = $"{files}|{posts}/{comments}|{lastPost}/{lastComment}";
            var resume = MergeResume.Read(connection, key, signature);
            var snapshotsBefore = Count(connection, null, "SELECT count(*) FROM main.score_snapshots");
            using (var transaction = connection.BeginTransaction())
            {
                Execute(connection, transaction, $"""
                    INSERT INTO main.forums(source, name) SELECT source, name FROM {Other}.forums WHERE true
                    ON CONFLICT(source, name) DO NOTHING
                    """);
                transaction.Commit();
            }

            long done = resume is null ? 0 : Count(connection, null, resume.Table == "posts"
                ? $"SELECT count(*) FROM {Other}.posts WHERE pk <= $after"
                : $"SELECT (SELECT count(*) FROM {Other}.posts) + (SELECT count(*) FROM {Other}.comments WHERE pk <= $after)",
                ("$after", resume.After));
            progress?.Report(new MergeProgress(done, total));
            void Merged(long rows)
            {
                done += rows;
                progress?.Report(new MergeProgress(done, total));
            }
            void Save(SqliteTransaction transaction, string table, long after) =>
                new MergeResume(signature, table, after).Save(connection, transaction, key);
            var (postsRead, postsNew) = resume?.Table == "comments" ? (0, 0)
                : MergeTable(connection, "posts", lastPost, Posts, PostSightings, chunkRows, Merged, resume?.After, Save, cancellationToken);
            var (commentsRead, commentsNew) = MergeTable(connection, "comments", lastComment, Comments, CommentSightings, chunkRows, Merged,
                resume?.Table == "comments" ? resume.After : null, Save, cancellationToken);

            long pendingApplied, carried, kept;
            using (var transaction = connection.BeginTransaction())
            {
                Execute(connection, transaction, $"""
                    INSERT INTO main.pending_sightings
                    SELECT tf.id, s.is_post, s.post_id, s.id, s.observed_utc, s.score FROM {Other}.pending_sightings s {Forum("s")}
                    WHERE true ON CONFLICT DO UPDATE SET score = max(score, excluded.score)
                    """);
                var pending = Count(connection, transaction, "SELECT count(*) FROM main.pending_sightings");
                sightings.ApplyPending(transaction);
                pendingApplied = pending - Count(connection, transaction, "SELECT count(*) FROM main.pending_sightings");
                // Files' checkpoints; the other store's own unfinished merges are its business.
                kept = Count(connection, transaction, $"""
                    SELECT count(*) FROM {Other}.checkpoints o JOIN main.checkpoints c ON c.source = o.source AND c.key = o.key
                    WHERE c.state <> o.state AND o.source <> '{MergeResume.Source}'
                    """);
                carried = Execute(connection, transaction, $"""
                    INSERT INTO main.checkpoints(source, key, state, updated_utc)
                    SELECT source, key, state, updated_utc FROM {Other}.checkpoints WHERE source <> '{MergeResume.Source}'
                    ON CONFLICT(source, key) DO NOTHING
                    """);
                MergeResume.Remove(connection, transaction, key);
                transaction.Commit();
            }
            var depths = DepthResolver.Resolve(connection);
            var stale = Count(connection, null, $"""
                SELECT count(*) FROM main.pair_runs r JOIN main.forums f ON f.id = r.forum_id
                WHERE EXISTS (SELECT 1 FROM {Other}.forums o WHERE o.source = f.source AND o.name = f.name)
                """);
            var snapshots = Count(connection, null, "SELECT count(*) FROM main.score_snapshots") - snapshotsBefore;
            return new MergeReport(path, postsRead, postsNew, commentsRead, commentsNew, snapshots, pendingApplied, carried,
                kept, depths, stale, resume is not null);
        }
        finally
        {
            Execute(connection, null, $"DETACH DATABASE {Other}");
        }
    }

    /// <summary>
    /// Merges one table's rows, chunk by chunk of the other store's keys (from after <paramref name="resumeAfter"/> up to
    /// <paramref name="last"/>, its last key), saving with each chunk how far it got; returns rows read and rows new here.
    /// </summary>
    private static (long Read, long New) MergeTable(SqliteConnection connection, string table, long last, string upsert, string[] after,
        int chunkRows, Action<long> merged, long? resumeAfter, Action<SqliteTransaction, string, long> save, CancellationToken cancellationToken)
    {
        var lastHere = Count(connection, null, $"SELECT coalesce(max(pk), 0) FROM main.{table}");
        var first = Count(connection, null, $"SELECT coalesce(min(pk), 1) FROM {Other}.{table}");
        long read = 0;
        for (var lo = Math.Max(first - 1, resumeAfter ?? 0); lo < last; lo += chunkRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (string, object?)[] range = [("$lo", lo), ("$hi", lo + chunkRows)];
            using var transaction = connection.BeginTransaction();
            var rows = Count(connection, transaction, $"SELECT count(*) FROM {Other}.{table} WHERE pk > $lo AND pk <= $hi", range);
            Execute(connection, transaction, upsert, range);
            foreach (var sql in after)
                Execute(connection, transaction, sql, range);
            save(transaction, table, lo + chunkRows);
            transaction.Commit();
            read += rows;
            merged(rows);
        }
        // New rows take keys after this store's last one.
        return (read, Count(connection, null, $"SELECT count(*) FROM main.{table} WHERE pk > $last", ("$last", lastHere)));
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static string Text(SqliteConnection connection, string sql) =>
        connection.Query(sql, r => r.IsDBNull(0) ? null : r.GetString(0)).FirstOrDefault() ?? throw new StoreException("the other store has no store_id");

    private static long Count(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters) => Db.Count(connection, transaction, sql, parameters);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        (string Name, object? Value)[] parameters) => Db.Command(connection, transaction, sql, parameters);
}
