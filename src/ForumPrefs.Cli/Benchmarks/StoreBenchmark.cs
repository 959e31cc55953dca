using ForumPrefs.Core;
using ForumPrefs.Store;
using Microsoft.Data.Sqlite;
using System.Diagnostics;

namespace ForumPrefs.Cli.Benchmarks;

/// <summary>
/// Times comment upserts through <see cref="ForumStore"/> (first write, identical rewrite, rewrite with new
/// scores) next to a reference measured in the same run: SQLite's own bulk insert of the same rows into a
/// plain table with one prepared command per transaction and no keys or triggers.
/// </summary>
internal static class StoreBenchmark
{
    public const double TargetCommentsPerSecond = 200_000;

    public sealed record Row(string Pass, long Comments, double Seconds)
    {
        public double Rate => Comments / Seconds;
    }

    public static IReadOnlyList<Row> Run(string folder, int comments, int commentsPerBatch)
    {
        var threads = SyntheticThreads(comments, observed: DateTimeOffset.UnixEpoch.AddYears(52));
        var threadsPerBatch = Math.Max(1, commentsPerBatch / threads[0].Comments.Count);

        var rows = new List<Row>();
        using (var store = ForumStore.Open(Path.Combine(folder, "bench-store.db")))
        {
            rows.Add(Time("upsert, new rows", comments, () => WriteAll(store, threads, threadsPerBatch)));
            rows.Add(Time("upsert, same rows again", comments, () => WriteAll(store, threads, threadsPerBatch)));
            var rescored = threads.Select(t => t with
            {
                Observed = t.Observed.AddDays(2),
                Comments = t.Comments.Select(c => c with { Score = c.Score + 1 }).ToList(),
            }).ToList();
            rows.Add(Time("upsert, new scores (+snapshots)", comments, () => WriteAll(store, rescored, threadsPerBatch)));
        }
        rows.Add(Time("reference: plain SQLite bulk insert", comments, () => PlainInsert(Path.Combine(folder, "bench-plain.db"), threads, threadsPerBatch)));
        return rows;
    }

    private static Row Time(string pass, long comments, Action action)
    {
        // Start each pass with a settled heap, so one pass does not pay for the garbage of the one before.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var clock = Stopwatch.StartNew();
        action();
        return new Row(pass, comments, clock.Elapsed.TotalSeconds);
    }

    private static void WriteAll(ForumStore store, List<ForumThread> threads, int perBatch)
    {
        for (var i = 0; i < threads.Count; i += perBatch)
            store.WriteThreads(threads.GetRange(i, Math.Min(perBatch, threads.Count - i)));
    }

    private static void PlainInsert(string path, List<ForumThread> threads, int perBatch)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                CREATE TABLE comments(forum_id INTEGER, id TEXT, post_id TEXT, parent_id TEXT, depth INTEGER, body TEXT,
                    author TEXT, score INTEGER, created_utc INTEGER, edited_utc INTEGER, distinguished TEXT,
                    stickied INTEGER, is_submitter INTEGER, observed_utc INTEGER);
                """;
            setup.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO comments VALUES($f, $id, $post, $parent, $depth, $body, $author, $score, $created, $edited, $dist, $sticky, $sub, $observed)";
        var p = new[] { "$f", "$id", "$post", "$parent", "$depth", "$body", "$author", "$score", "$created", "$edited", "$dist", "$sticky", "$sub", "$observed" }
            .Select(name => insert.Parameters.Add(new SqliteParameter(name, null))).ToArray();
        for (var i = 0; i < threads.Count; i += perBatch)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            foreach (var thread in threads.Skip(i).Take(perBatch))
            {
                foreach (var c in thread.Comments)
                {
                    p[0].Value = 1L; p[1].Value = c.Id; p[2].Value = c.PostId; p[3].Value = c.ParentId; p[4].Value = c.Depth;
                    p[5].Value = c.Body; p[6].Value = c.Author; p[7].Value = c.Score; p[8].Value = c.Created.ToUnixTimeSeconds();
                    p[9].Value = DBNull.Value; p[10].Value = DBNull.Value; p[11].Value = 0L; p[12].Value = 0L;
                    p[13].Value = thread.Observed.ToUnixTimeSeconds();
                    insert.ExecuteNonQuery();
                }
            }
            transaction.Commit();
        }
    }

    /// <summary>Threads of 20 comments with Reddit-like body lengths (log-normal, median about 200 characters).</summary>
    private static List<ForumThread> SyntheticThreads(int comments, DateTimeOffset observed)
    {
        const int perThread = 20;
        var random = new Random(7);
        var words = "the of and to a in that is was he for it with as his on be at by had are but from or have an they which one you were all we her she there would their will when who him been has more if no out so said what up its about into than them can only other time new some could these two may first then do any like my now over such our man me even most made after also did many before must through back years where much your way well down should because each just those people".Split(' ');
        string Body()
        {
            var length = (int)Math.Clamp(Math.Exp(5.3 + 0.8 * (random.NextDouble() + random.NextDouble() - 1) * 2), 10, 4000);
            var text = new System.Text.StringBuilder(length + 16);
            while (text.Length < length)
                text.Append(words[random.Next(words.Length)]).Append(' ');
            return text.ToString();
        }

        var forum = new Forum("bench", "bench");
        var threads = new List<ForumThread>(comments / perThread + 1);
        for (var t = 0; t * perThread < comments; t++)
        {
            var postId = $"b{t:x}";
            var created = observed.AddDays(-3);
            var list = new List<Comment>(perThread);
            for (var c = 0; c < perThread && t * perThread + c < comments; c++)
                list.Add(new Comment($"{postId}_{c:x}", postId, c % 4 == 0 || c == 0 ? postId : $"{postId}_{c - 1:x}",
                    c % 4 == 0 ? 0 : 1, Body(), $"user{random.Next(100000)}", random.Next(-5, 500),
                    created.AddMinutes(c), null, null, false, false));
            var post = new Post(postId, "Why is the sky blue?", Body(), "op", 100, 0.9, created, null, false, true, null, null, list.Count);
            threads.Add(new ForumThread(forum, post, list, observed));
        }
        return threads;
    }
}
