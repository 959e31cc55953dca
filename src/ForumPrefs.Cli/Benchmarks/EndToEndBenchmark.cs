using ForumPrefs.Store;
using System.Globalization;

namespace ForumPrefs.Cli.Benchmarks;

/// <summary>
/// Every stage on one generated dump, each next to a reference timed in the same run: the zstd CLI for reading,
/// a plain Python ingest (json + python3-zstandard + sqlite3, the way common dump scripts work) for ingest,
/// SQLite's own bulk insert for the store. Each command stage runs as its own process under /usr/bin/time.
/// </summary>
internal static class EndToEndBenchmark
{
    public sealed record Stage(string Name, string Input, double Seconds, string Rate, long? PeakRssMb, string Reference, double? Ratio);

    public static IReadOnlyList<Stage> Run(string folder, int megabytes)
    {
        var plain = Path.Combine(folder, "RC_bench.ndjson");
        var dump = plain + ".zst";
        DumpBenchmark.Generate(plain, (long)megabytes << 20);
        var size = new FileInfo(plain).Length / 1e6;
        DumpBenchmark.Run("zstd", $"-q -3 -T0 --long=31 \"{plain}\" -o \"{dump}\"");
        File.Delete(plain);
        var forumprefs = Path.Combine(AppContext.BaseDirectory, "forumprefs.dll");
        var db = Path.Combine(folder, "e2e.db");
        var script = Path.Combine(folder, "ingest.py");
        File.WriteAllText(script, PythonIngest);

        var zstd = DumpBenchmark.Measure("zstd", size, false, "sh", "-c", $"zstd -d -q --long=31 -c '{dump}' > /dev/null");
        var filter = DumpBenchmark.Measure("filter", size, true, "dotnet", forumprefs, "ingest", "reddit-dump", dump, "--db", Path.Combine(folder, "filter.db"), "--subreddit", "absent");
        var python = DumpBenchmark.Measure("python", size, false, "/usr/bin/python3", script, dump, Path.Combine(folder, "python.db"));
        var ingest = DumpBenchmark.Measure("ingest", size, true, "dotnet", forumprefs, "ingest", "reddit-dump", dump, "--db", db);
        var pairs = DumpBenchmark.Measure("pairs", size, false, "dotnet", forumprefs, "pairs", "--db", db, "--min-score-age", "0", "--format", "csv");
        var export = DumpBenchmark.Measure("export", size, false, "dotnet", forumprefs, "export", "--db", db, "--out", Path.Combine(folder, "dataset"));
        long comments, pairCount;
        using (var store = ForumStore.Open(db))
        {
            comments = StoreStats.Read(store).Forums.Sum(f => f.Posts + f.Comments);
            pairCount = PairRunWriter.List(store).Sum(r => r.Pairs);
        }
        var storeRows = StoreBenchmark.Run(folder, 300_000, 20_000);
        var exportedMb = Directory.EnumerateFiles(Path.Combine(folder, "dataset"), "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1e6;

        string Mb(double mb) => $"{mb:N0} MB";
        return
        [
            new("read dump, filter only", Mb(size), filter.Seconds, $"{filter.Rate:N0} MB/s", filter.PeakRssMb, $"zstd -d --long=31: {zstd.Rate:N0} MB/s", filter.Rate / zstd.Rate),
            new("ingest dump into the store", $"{Mb(size)}, {comments:N0} items", ingest.Seconds, $"{ingest.Rate:N0} MB/s", ingest.PeakRssMb, $"Python json + zstandard + sqlite3: {python.Rate:N1} MB/s", ingest.Rate / python.Rate),
            new("store upsert (bench store pass)", $"{storeRows[0].Comments:N0} comments", storeRows[0].Seconds, $"{storeRows[0].Rate:N0} comments/s", null, $"SQLite plain bulk insert: {storeRows[^1].Rate:N0} rows/s", storeRows[0].Rate / storeRows[^1].Rate),
            new("pairs (SHP policy)", $"{comments:N0} items", pairs.Seconds, $"{pairCount / pairs.Seconds:N0} pairs/s", pairs.PeakRssMb, "–", null),
            new("export SHP Parquet", $"{pairCount:N0} pairs", export.Seconds, $"{pairCount / export.Seconds:N0} rows/s ({exportedMb:N1} MB)", export.PeakRssMb, "–", null),
        ];
    }

    private const string PythonIngest = """
        import io, json, sqlite3, sys, zstandard
        path, db = sys.argv[1], sys.argv[2]
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=NORMAL")
        con.execute("CREATE TABLE IF NOT EXISTS posts(id TEXT PRIMARY KEY, subreddit TEXT, title TEXT, body TEXT, author TEXT, score INTEGER, created_utc INTEGER)")
        con.execute("CREATE TABLE IF NOT EXISTS comments(id TEXT PRIMARY KEY, subreddit TEXT, link_id TEXT, parent_id TEXT, body TEXT, author TEXT, score INTEGER, created_utc INTEGER)")
        posts, comments = [], []
        def flush():
            con.executemany("INSERT OR REPLACE INTO posts VALUES (?,?,?,?,?,?,?)", posts)
            con.executemany("INSERT OR REPLACE INTO comments VALUES (?,?,?,?,?,?,?,?)", comments)
            con.commit(); posts.clear(); comments.clear()
        with open(path, "rb") as fh:
            reader = zstandard.ZstdDecompressor(max_window_size=2**31).stream_reader(fh)
            for line in io.TextIOWrapper(reader, encoding="utf-8", errors="replace"):
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if "title" in obj:
                    posts.append((obj["id"], obj["subreddit"], obj["title"], obj.get("selftext"), obj.get("author"), obj.get("score"), int(float(obj["created_utc"]))))
                else:
                    comments.append((obj["id"], obj["subreddit"], obj["link_id"], obj["parent_id"], obj.get("body"), obj.get("author"), obj.get("score"), int(float(obj["created_utc"]))))
                if len(posts) + len(comments) >= 20000:
                    flush()
        flush()
        """;
}
