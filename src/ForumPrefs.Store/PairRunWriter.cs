using ForumPrefs.Core;

namespace ForumPrefs.Store;

/// <summary>Replaces a (policy, forum) run whole, in one transaction: a rebuild never leaves old and new pairs mixed.</summary>
public static class PairRunWriter
{
    public static long Replace(ForumStore store, string policy, Forum forum, string options,
        IEnumerable<StoredPair> pairs, Func<string> report)
    {
        var connection = store.Connection;
        using var transaction = connection.BeginTransaction();
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = """
                DELETE FROM pairs WHERE run_id IN (SELECT r.id FROM pair_runs r JOIN forums f ON f.id = r.forum_id
                                                   WHERE r.policy = $policy AND f.source = $source AND f.name = $name);
                DELETE FROM pair_runs WHERE policy = $policy
                    AND forum_id = (SELECT id FROM forums WHERE source = $source AND name = $name);
                INSERT INTO pair_runs(policy, forum_id, options, report, created_utc)
                SELECT $policy, id, $options, '{}', unixepoch() FROM forums WHERE source = $source AND name = $name;
                SELECT last_insert_rowid();
                """;
            delete.Parameters.AddWithValue("$policy", policy);
            delete.Parameters.AddWithValue("$source", forum.Source);
            delete.Parameters.AddWithValue("$name", forum.Name);
            delete.Parameters.AddWithValue("$options", options);
            var runId = Convert.ToInt64(delete.ExecuteScalar());

            long count = 0;
            using (var rows = new PairRows(connection, runId))
            {
                foreach (var pair in pairs)
                {
                    rows.Add(pair);
                    count++;
                }
            }

            using var finish = connection.CreateCommand();
            finish.Transaction = transaction;
            finish.CommandText = "UPDATE pair_runs SET report = $report WHERE id = $id";
            finish.Parameters.AddWithValue("$report", report());
            finish.Parameters.AddWithValue("$id", runId);
            finish.ExecuteNonQuery();
            transaction.Commit();
            return count;
        }
    }

    public static IReadOnlyList<PairRun> List(ForumStore store, string? policy = null)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = """
            SELECT r.id, r.policy, f.source, f.name, r.options, r.report, r.created_utc,
                   (SELECT count(*) FROM pairs p WHERE p.run_id = r.id)
            FROM pair_runs r JOIN forums f ON f.id = r.forum_id
            WHERE $policy IS NULL OR r.policy = $policy
            ORDER BY r.policy, f.source, f.name
            """;
        command.Parameters.AddWithValue("$policy", (object?)policy ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var runs = new List<PairRun>();
        while (reader.Read())
            runs.Add(new PairRun(reader.GetInt64(0), reader.GetString(1), new Forum(reader.GetString(2), reader.GetString(3)),
                reader.GetString(4), reader.GetString(5), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(6)), reader.GetInt64(7)));
        return runs;
    }

    /// <summary>The posts with the most pairs in a run (the threads worth plotting), with their forum id and title.</summary>
    public static IEnumerable<(long ForumId, string PostId, string Title)> BusiestPosts(this ForumStore store, PairRun run, int count)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = """
            SELECT p.forum_id, p.id, p.title FROM pairs x JOIN posts p ON p.pk = x.post_pk
            WHERE x.run_id = $run GROUP BY x.post_pk ORDER BY count(*) DESC, p.id LIMIT $count
            """;
        command.Parameters.AddWithValue("$run", run.Id);
        command.Parameters.AddWithValue("$count", count);
        using var reader = command.ExecuteReader();
        var posts = new List<(long, string, string)>();
        while (reader.Read())
            posts.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        return posts;
    }
}
