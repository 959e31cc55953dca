using ForumPrefs.Core;
using ForumPrefs.Store;
using SQLitePCL;
using System.Diagnostics;

namespace ForumPrefs.Bench;

/// <summary>
/// Times comment upserts through <see cref="ForumStore"/> (first write, identical rewrite, rewrite with new
/// scores) next to a reference measured in the same run: the same rows put into a plain SQLite table the fastest
/// plain way (see <see cref="PlainInsert"/>). The reference does less than the store (no keys, no merge, no history):
/// the ratio is the price of those guarantees, not a like-for-like race.
/// </summary>
public static class StoreBenchmark
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
        rows.Add(Time("reference: plain SQLite (32-row prepared inserts bound by index; one transaction)", comments, () => PlainInsert(Path.Combine(folder, "bench-plain.db"), threads)));
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

    /// <summary>
    /// The fastest plain way to put the same rows in SQLite: one transaction, one prepared INSERT of
    /// <see cref="RowsPerInsert"/> rows (a second one for the rest) bound by index through SQLitePCL's raw API (ADO.NET
    /// parameters look each name up, which costs more than the insert at this many values), into a table without keys
    /// or triggers. The same pragmas as the store.
    /// </summary>
    private static void PlainInsert(string path, List<ForumThread> threads)
    {
        Batteries_V2.Init(); // what Microsoft.Data.Sqlite does on first use; idempotent
        Check(raw.sqlite3_open(path, out var db), db);
        using (db)
        {
            Exec(db, """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                CREATE TABLE comments(forum_id INTEGER, id TEXT, post_id TEXT, parent_id TEXT, depth INTEGER, body TEXT,
                    author TEXT, score INTEGER, created_utc INTEGER, edited_utc INTEGER, distinguished TEXT,
                    stickied INTEGER, is_submitter INTEGER, observed_utc INTEGER);
                BEGIN;
                """);
            var rows = threads.SelectMany(t => t.Comments.Select(c => (Comment: c, Observed: t.Observed.ToUnixTimeSeconds()))).ToList();
            var done = 0;
            using (var full = Prepare(db, RowsPerInsert))
                for (; done + RowsPerInsert <= rows.Count; done += RowsPerInsert)
                    Insert(db, full, rows, done, RowsPerInsert);
            if (done < rows.Count)
                using (var rest = Prepare(db, rows.Count - done))
                    Insert(db, rest, rows, done, rows.Count - done);
            Exec(db, "COMMIT");
        }
    }

    private const int RowsPerInsert = 32;
    private const int Columns = 14;

    private static sqlite3_stmt Prepare(sqlite3 db, int rows)
    {
        var sql = "INSERT INTO comments VALUES " + string.Join(",", Enumerable.Repeat("(" + string.Join(",", Enumerable.Repeat("?", Columns)) + ")", rows));
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        return statement;
    }

    private static void Insert(sqlite3 db, sqlite3_stmt insert, List<(Comment Comment, long Observed)> rows, int from, int count)
    {
        for (var r = 0; r < count; r++)
        {
            var (c, observed) = rows[from + r];
            var at = r * Columns;
            raw.sqlite3_bind_int64(insert, at + 1, 1);
            raw.sqlite3_bind_text(insert, at + 2, c.Id);
            raw.sqlite3_bind_text(insert, at + 3, c.PostId);
            raw.sqlite3_bind_text(insert, at + 4, c.ParentId);
            raw.sqlite3_bind_int64(insert, at + 5, c.Depth);
            raw.sqlite3_bind_text(insert, at + 6, c.Body);
            raw.sqlite3_bind_text(insert, at + 7, c.Author);
            raw.sqlite3_bind_int64(insert, at + 8, c.Score);
            raw.sqlite3_bind_int64(insert, at + 9, c.Created.ToUnixTimeSeconds());
            raw.sqlite3_bind_null(insert, at + 10);
            raw.sqlite3_bind_null(insert, at + 11);
            raw.sqlite3_bind_int64(insert, at + 12, 0);
            raw.sqlite3_bind_int64(insert, at + 13, 0);
            raw.sqlite3_bind_int64(insert, at + 14, observed);
        }
        if (raw.sqlite3_step(insert) != raw.SQLITE_DONE)
            throw new BenchException($"reference insert failed: {raw.sqlite3_errmsg(db).utf8_to_string()}");
        raw.sqlite3_reset(insert);
    }

    private static void Exec(sqlite3 db, string sql) => Check(raw.sqlite3_exec(db, sql), db);

    private static void Check(int code, sqlite3 db)
    {
        if (code != raw.SQLITE_OK)
            throw new BenchException($"reference SQLite call failed: {raw.sqlite3_errmsg(db).utf8_to_string()}");
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
