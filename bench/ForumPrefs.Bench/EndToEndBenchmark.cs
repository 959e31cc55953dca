using ForumPrefs.Store;
using System.Globalization;

namespace ForumPrefs.Bench;

/// <summary>
/// Every stage on one generated dump, each next to a reference timed in the same run: the zstd CLI for reading,
/// a plain Python ingest (json + python3-zstandard + sqlite3, the way common dump scripts work) for ingest,
/// and a second ingest of the same dump for the store's re-sighting work. Every row comes from the one generated dump. Each command stage runs as its own process under /usr/bin/time.
/// </summary>
public static class EndToEndBenchmark
{
    public sealed record Stage(string Name, string Input, double Seconds, string Rate, long? PeakRssMb, string Reference, double? Ratio);

    public static IReadOnlyList<Stage> Run(string folder, int megabytes)
    {
        var plain = Path.Combine(folder, "RC_bench.ndjson");
        var dump = plain + ".zst";
        DumpBenchmark.Generate(plain, (long)megabytes << 20);
        var size = new FileInfo(plain).Length / 1e6;
        var lines = File.ReadLines(plain).LongCount();
        Processes.Run("zstd", $"-q -3 -T0 --long=31 \"{plain}\" -o \"{dump}\"");
        File.Delete(plain);
        var forumprefs = Path.Combine(AppContext.BaseDirectory, "forumprefs.dll");
        var db = Path.Combine(folder, "e2e.db");
        var script = PythonReference.Script("ingest_reddit_dump.py", ("zstandard", "python3-zstandard (Debian) or: pip install zstandard"));

        var zstd = Processes.Measure("zstd", size, false, "sh", "-c", $"zstd -d -q --long=31 -c '{dump}' > /dev/null");
        var filter = Processes.Measure("filter", size, true, "dotnet", forumprefs, "ingest", "reddit-dump", dump, "--db", Path.Combine(folder, "filter.db"), "--subreddit", "absent");
        var python = Processes.Measure("python", size, false, "/usr/bin/python3", script, dump, Path.Combine(folder, "python.db"));
        var ingest = Processes.Measure("ingest", size, true, "dotnet", forumprefs, "ingest", "reddit-dump", dump, "--db", db);
        var pairs = Processes.Measure("pairs", size, false, "dotnet", forumprefs, "pairs", "--db", db, "--min-score-age", "0", "--format", "csv");
        var export = Processes.Measure("export", size, false, "dotnet", forumprefs, "export", "--db", db, "--out", Path.Combine(folder, "dataset"));
        long comments, pairCount;
        using (var store = ForumStore.Open(db))
        {
            comments = StoreStats.Read(store).Forums.Sum(f => f.Posts + f.Comments);
            pairCount = PairRunWriter.List(store).Sum(r => r.Pairs);
        }
        // The same dump once more into the same store, every item already there (a re-crawl's store work). Another
        // filter (--since before Reddit began keeps everything) is another checkpoint, so the file is read again; timed once,
        // as a second run would find it done.
        var again = Processes.MeasureOnce("ingest again", size, ["dotnet", forumprefs, "ingest", "reddit-dump", dump, "--db", db, "--since", "2005-01-01", "--format", "csv"]);
        var merge = MergeOfHalves(folder, forumprefs, dump, size, lines, comments);
        var exportedMb = Directory.EnumerateFiles(Path.Combine(folder, "dataset"), "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1e6;

        string Mb(double mb) => $"{mb:N0} MB";
        return
        [
            new("read dump, filter only", Mb(size), filter.Seconds, $"{filter.Rate:N0} MB/s", filter.PeakRssMb, $"zstd -d --long=31: {zstd.Rate:N0} MB/s", filter.Rate / zstd.Rate),
            new("ingest dump into the store", $"{Mb(size)}, {comments:N0} items", ingest.Seconds, $"{ingest.Rate:N0} MB/s", ingest.PeakRssMb, $"Python json + zstandard + sqlite3: {python.Rate:N1} MB/s", ingest.Rate / python.Rate),
            new("ingest the same dump again (all items stored)", $"{Mb(size)}, {comments:N0} items", again.Seconds, $"{again.Rate:N0} MB/s", again.PeakRssMb, "–", null),
            new("merge two stores (the dump halved by date)", $"{merge.Items:N0} items merged",
                merge.Run.Seconds, $"{merge.Items / merge.Run.Seconds:N0} items/s", merge.Run.PeakRssMb,
                $"ingest of the whole dump: {comments / ingest.Seconds:N0} items/s", merge.Items / merge.Run.Seconds / (comments / ingest.Seconds)),
            new("pairs (SHP policy)", $"{comments:N0} items", pairs.Seconds, $"{pairCount / pairs.Seconds:N0} pairs/s", pairs.PeakRssMb, "–", null),
            new("export SHP Parquet", $"{pairCount:N0} pairs", export.Seconds, $"{pairCount / export.Seconds:N0} rows/s ({exportedMb:N1} MB)", export.PeakRssMb, "–", null),
        ];
    }

    /// <summary>
    /// The dump's lines split at the middle of their dates (as two machines with a month each would hold them), each half
    /// ingested into its own store, the second merged into the first, timed once (a second merge would find nothing new).
    /// The merged store must hold every item the one-machine store holds.
    /// </summary>
    private static (Measured Run, long Items) MergeOfHalves(string folder, string forumprefs, string dump, double size, long lines, long expected)
    {
        var middle = DateTimeOffset.FromUnixTimeSeconds(DumpBenchmark.FirstCreated + lines / 2 * DumpBenchmark.SecondsPerLine)
            .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var (first, second) = (Path.Combine(folder, "first-half.db"), Path.Combine(folder, "second-half.db"));
        Processes.MeasureOnce("first half", size, ["dotnet", forumprefs, "ingest", "reddit-dump", dump, "--db", first, "--until", middle]);
        Processes.MeasureOnce("second half", size, ["dotnet", forumprefs, "ingest", "reddit-dump", dump, "--db", second, "--since", middle]);
        long Items(string db)
        {
            using var store = ForumStore.Open(db);
            return StoreStats.Read(store).Forums.Sum(f => f.Posts + f.Comments);
        }
        var items = Items(second);
        var run = Processes.MeasureOnce("merge", size, ["dotnet", forumprefs, "merge", second, "--db", first, "--format", "csv"]);
        if (Items(first) != expected)
            throw new BenchException($"the merged store holds {Items(first):N0} items, the one-machine store {expected:N0}");
        return (run, items);
    }
}
