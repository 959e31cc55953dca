using ForumPrefs.Datasets;
using ForumPrefs.Core;
using ForumPrefs.Export;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;
using System.Diagnostics;

namespace ForumPrefs.Bench;

/// <summary>
/// Times pair building from the store and Parquet export on a store of realistic threads (see <see cref="Fill"/>):
/// SHP's rules keep only some pairs, as on real data, so the rates are per pair kept, with the rejections' work included.
/// </summary>
public static class PairsBenchmark
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
            foreach (var _ in PairingJob.Pairs(store, forum, policy, ForumPrefs.Pairing.Screens.PairingScreens.None(splits), new RejectionReport(), new PairDiagnostics()))
                n++;
            return Task.FromResult(n);
        }));
        rows.Add(await TimeAsync("build and store pairs (pairs table)", folder, () =>
            Task.FromResult(PairingJob.Run(store, forum, policy, splits).Pairs)));

        var run = PairRunWriter.List(store).Single();
        var inMemory = ForumPrefs.Export.PairAssembler.Read(store, run, new ForumPrefs.Export.PairAssembler.Counts()).ToList();
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

    /// <summary>
    /// Threads shaped like a busy subreddit's: answers per post log-normal (median 10, up to 200), scores heavy-tailed and
    /// falling with arrival order (earlier answers are seen more) with noise, so SHP's rules keep some pairs and drop
    /// others as they do on real data; bodies of log-normal length (median about 200 characters).
    /// </summary>
    private static void Fill(ForumStore store, Forum forum, int posts)
    {
        var random = new Random(3);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
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
                var count = Math.Clamp((int)Math.Exp(2.3 + 0.8 * Normal()), 2, 200);
                var answers = Enumerable.Range(0, count).Select(i => new Comment($"{postId}_{i:x2}", postId, postId, 0,
                    Text((int)Math.Clamp(Math.Exp(5.3 + 0.9 * Normal()), 5, 10_000)), $"user{random.Next(100_000)}",
                    (int)Math.Exp(2.5 + 1.5 * Normal() - 0.08 * i), created.AddMinutes(10 + 7 * i), null, null, false, false)).ToList();
                var post = new Post(postId, "Why does it work?", Text(200), "asker", (int)Math.Exp(3.5 + Normal()), 0.95, created, null, false, true,
                    null, null, answers.Count);
                batch.Add(new ForumThread(forum, post, answers, created.AddDays(5)));
            }
            store.WriteThreads(batch);
        }
    }
}
