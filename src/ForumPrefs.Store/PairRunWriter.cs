using ForumPrefs.Store.Reads;
using ForumPrefs.Core;

namespace ForumPrefs.Store;

/// <summary>
/// Replaces a (policy, forum) run whole, in one transaction: a rebuild never leaves old and new pairs mixed. The pairs
/// are computed and staged first in a temporary table, in a read transaction that never blocks the store's writers
/// (an ingest may run beside a long `pairs`); only the swap of the old run for the staged one holds the write lock.
/// </summary>
public static class PairRunWriter
{
    private const string Columns = """
        post_pk, preferred_pk, other_pk, preferred_score, other_score, score_ratio, margin, split, preferred_is_a,
        window_preferred, window_other, window_seconds, language
        """;

    public static long Replace(ForumStore store, string policy, Forum forum, string options,
        IEnumerable<StoredPair> pairs, Func<string> report)
    {
        var connection = store.Connection;
        var count = Stage(connection, pairs);
        try
        {
            using var transaction = connection.BeginTransaction();
            using var swap = connection.CreateCommand();
            swap.Transaction = transaction;
            swap.CommandText = $"""
                DELETE FROM pairs WHERE run_id IN (SELECT r.id FROM pair_runs r JOIN forums f ON f.id = r.forum_id
                                                   WHERE r.policy = $policy AND f.source = $source AND f.name = $name);
                DELETE FROM pair_runs WHERE policy = $policy
                    AND forum_id = (SELECT id FROM forums WHERE source = $source AND name = $name);
                INSERT INTO pair_runs(policy, forum_id, options, report, created_utc)
                SELECT $policy, id, $options, $report, unixepoch() FROM forums WHERE source = $source AND name = $name;
                INSERT INTO pairs(run_id, {Columns})
                SELECT (SELECT r.id FROM pair_runs r JOIN forums f ON f.id = r.forum_id
                        WHERE r.policy = $policy AND f.source = $source AND f.name = $name), {Columns}
                FROM temp.staged_pairs ORDER BY rowid;
                """;
            swap.Parameters.AddWithValue("$policy", policy);
            swap.Parameters.AddWithValue("$source", forum.Source);
            swap.Parameters.AddWithValue("$name", forum.Name);
            swap.Parameters.AddWithValue("$options", options);
            swap.Parameters.AddWithValue("$report", report());
            swap.ExecuteNonQuery();
            transaction.Commit();
            return count;
        }
        finally
        {
            Exec(connection, "DELETE FROM temp.staged_pairs");
        }
    }

    /// <summary>
    /// The pairs into temp.staged_pairs. Its transaction is opened on the native handle (the candidate reads share it
    /// as one snapshot): it writes only the temporary database, so the store's write lock is never taken.
    /// </summary>
    private static long Stage(Microsoft.Data.Sqlite.SqliteConnection connection, IEnumerable<StoredPair> pairs)
    {
        Exec(connection, $"""
            CREATE TEMP TABLE IF NOT EXISTS staged_pairs(run_id INTEGER, {Columns});
            DELETE FROM temp.staged_pairs;
            """);
        Exec(connection, "BEGIN");
        try
        {
            long count = 0;
            using (var rows = new PairRows(connection, runId: 0, table: "temp.staged_pairs"))
            {
                foreach (var pair in pairs)
                {
                    rows.Add(pair);
                    count++;
                }
            }
            Exec(connection, "COMMIT");
            return count;
        }
        catch
        {
            Exec(connection, "ROLLBACK");
            throw;
        }
    }

    private static void Exec(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        var code = SQLitePCL.raw.sqlite3_exec(connection.Handle, sql);
        if (code != SQLitePCL.raw.SQLITE_OK)
            throw new Microsoft.Data.Sqlite.SqliteException(SQLitePCL.raw.sqlite3_errmsg(connection.Handle).utf8_to_string(), code);
    }

    public static IReadOnlyList<PairRun> List(ForumStore store, string? policy = null) => store.Connection.Query("""
            SELECT r.id, r.policy, f.source, f.name, r.options, r.report, r.created_utc,
                   (SELECT count(*) FROM pairs p WHERE p.run_id = r.id)
            FROM pair_runs r JOIN forums f ON f.id = r.forum_id
            WHERE $policy IS NULL OR r.policy = $policy
            ORDER BY r.policy, f.source, f.name
            """, r => new PairRun(r.GetInt64(0), r.GetString(1), new Forum(r.GetString(2), r.GetString(3)),
                r.GetString(4), r.GetString(5), Db.Time(r.GetInt64(6)), r.GetInt64(7)), ("$policy", policy)).ToList();

    /// <summary>The posts with the most pairs in a run (the threads worth plotting), with their forum id and title.</summary>
    public static IEnumerable<(long ForumId, string PostId, string Title)> BusiestPosts(this ForumStore store, PairRun run, int count) =>
        store.Connection.Query("""
            SELECT p.forum_id, p.id, p.title FROM pairs x JOIN posts p ON p.pk = x.post_pk
            WHERE x.run_id = $run GROUP BY x.post_pk ORDER BY count(*) DESC, p.id LIMIT $count
            """, r => (r.GetInt64(0), r.GetString(1), r.GetString(2)), ("$run", run.Id), ("$count", count)).ToList();
}
