using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Export;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;
using System.Diagnostics;

namespace ForumPrefs.Cli.Benchmarks;

/// <summary>
/// Times pair building from the store and Parquet export on a store of big threads (50 top-level answers each,
/// every later answer scoring higher, so every candidate pair survives SHP's rules: 1,225 pairs a post).
/// </summary>
internal static class PairsBenchmark
{
    public const double TargetRowsPerSecond = 1_000_000;

    public sealed record Row(string Stage, long Rows, double Seconds, double MegabytesWritten)
    {
        public double Rate => Rows / Seconds;
    }

    public static async Task<IReadOnlyList<Row>> RunAsync(string folder, int posts)
    {
        var forum = new Forum("bench", "bench");
        using var store = ForumStore.Open(Path.Combine(folder, "bench-pairs.db"));
        Fill(store, forum, posts);
        var policy = new ShpPolicy(new ShpOptions());
        var splits = new SplitAssigner();
        var rows = new List<Row>();

        rows.Add(await TimeAsync("build pairs from the store (read, rules, splits, labels)", folder, () =>
        {
            long n = 0;
            foreach (var _ in PairingJob.Pairs(store, forum, policy, splits, new RejectionReport(), new PairDiagnostics()))
                n++;
            return Task.FromResult(n);
        }));
        rows.Add(await TimeAsync("build and store pairs (pairs table)", folder, () =>
            Task.FromResult(PairingJob.Run(store, forum, policy, splits).Pairs)));

        var run = PairRunWriter.List(store).Single();
        var inMemory = PairReader.Read(store, run, new PairReader.Counts()).ToList();
        var parquetOnly = Path.Combine(folder, "parquet-only");
        rows.Add(await TimeAsync("write Parquet, SHP layout (pairs in memory)", parquetOnly, async () =>
        {
            await DatasetExporter.WriteFileAsync(parquetOnly, Split.Train, "bench_train", inMemory, new ExportOptions(ExportFormat.Shp));
            return inMemory.Count;
        }));
        inMemory = null;
        var export = Path.Combine(folder, "export");
        rows.Add(await TimeAsync("export SHP Parquet from the store (join texts, write)", export, async () =>
            (await DatasetExporter.ExportAsync(store, [run], export, new ExportOptions(ExportFormat.Shp))).Sum(e => e.TotalRows)));
        return rows;
    }

    private static async Task<Row> TimeAsync(string stage, string outFolder, Func<Task<long>> work)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var clock = Stopwatch.StartNew();
        var rows = await work();
        var seconds = clock.Elapsed.TotalSeconds;
        var bytes = Directory.Exists(outFolder) && stage.Contains("Parquet")
            ? Directory.EnumerateFiles(outFolder, "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;
        return new Row(stage, rows, seconds, bytes / 1e6);
    }

    private static void Fill(ForumStore store, Forum forum, int posts)
    {
        var random = new Random(3);
        var t0 = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var words = "the a of to and because which means energy pressure flow heat light water air force rule example simple".Split(' ');
        string Text(int length)
        {
            var text = new System.Text.StringBuilder();
            while (text.Length < length)
                text.Append(words[random.Next(words.Length)]).Append(' ');
            return text.ToString();
        }
        for (var start = 0; start < posts; start += 100)
        {
            var batch = new List<ForumThread>();
            for (var p = start; p < Math.Min(posts, start + 100); p++)
            {
                var postId = $"bp{p:x}";
                var created = t0.AddMinutes(p);
                var answers = Enumerable.Range(0, 50).Select(i => new Comment($"{postId}_{i:x2}", postId, postId, 0,
                    Text(100 + random.Next(300)), $"user{random.Next(100_000)}", 2 + i * 3, created.AddMinutes(10 + i), null, null, false, false)).ToList();
                var post = new Post(postId, "Why does it work?", Text(200), "asker", 500, 0.95, created, null, false, true, null, null, answers.Count);
                batch.Add(new ForumThread(forum, post, answers, created.AddDays(5)));
            }
            store.WriteThreads(batch);
        }
    }
}
