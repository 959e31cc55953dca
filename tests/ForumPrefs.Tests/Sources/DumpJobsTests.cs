using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using static ForumPrefs.Tests.Support.DumpFiles;

namespace ForumPrefs.Tests.Sources;

/// <summary>ingest reddit-dump --jobs N: several files read at once, one writer; the store and the report as with one worker.</summary>
public sealed class DumpJobsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Any_number_of_workers_gives_the_store_and_report_of_one()
    {
        // Posts in one file, their replies spread over the others (replies to replies too), and some bad lines.
        var posts = Enumerable.Range(0, 300).Select(p => Post($"p{p}", p % 2 == 0 ? "askscience" : "history", 1_600_000_000 + p)).ToList();
        List<string>[] replies = [[], [], []];
        for (var p = 0; p < 300; p++)
            for (var c = 0; c < 12; c++)
                replies[(p + c) % 3].Add(Comment($"p{p}c{c}", $"p{p}", c < 4 ? $"t3_p{p}" : $"t1_p{p}c{c - 4}", p % 2 == 0 ? "askscience" : "history",
                    1_600_000_100 + p + c, score: c * 3));
        replies[1].Insert(50, "{not json");
        replies[2].Insert(10, """{"id": "x", "subreddit": "", "link_id": "t3_p1"}""");
        WriteLongWindowZst(_folder.File("RS.zst"), posts);
        WriteLongWindowZst(_folder.File("RC_a.zst"), replies[0]);
        WritePlain(_folder.File("RC_b.ndjson"), replies[1]);
        WritePlain(_folder.File("RC_c.ndjson"), replies[2]);
        string[] files = ["RC_a.zst", "RC_b.ndjson", "RS.zst", "RC_c.ndjson"];

        var outcomes = new List<(string Report, string Fingerprint)>();
        foreach (var jobs in new[] { 1, 2, 4 })
        {
            var result = await Support.Cli.RunAsync(_folder.Path, ["ingest", "reddit-dump", .. files, "--db", $"jobs{jobs}.db", "--jobs", $"{jobs}", "--format", "csv"]);
            Assert.Equal(3, result.ExitCode); // done, with the two bad lines skipped and counted
            using var store = ForumStore.Open(_folder.File($"jobs{jobs}.db"));
            outcomes.Add((result.Out, Sql.Fingerprint(store)));
            Assert.Equal(300 * 12, Sql.Scalar(store, "SELECT count(*) FROM comments"));
            Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE depth < 0"));
        }

        Assert.All(outcomes, o => Assert.Equal(outcomes[0].Report, o.Report));
        Assert.All(outcomes, o => Assert.Equal(outcomes[0].Fingerprint, o.Fingerprint));
        // The bad lines are counted in their own files' rows, under their kinds.
        var header = outcomes[0].Report.Split('\n')[0].Split(',').ToList();
        string Cell(string file, string column) => outcomes[0].Report.Split('\n').Single(l => l.StartsWith(file + ",", StringComparison.Ordinal)).Split(',')[header.IndexOf(column)];
        Assert.Equal("1", Cell("RC_b.ndjson", "malformed_json"));
        Assert.Equal("0", Cell("RC_a.zst", "malformed_json"));
        Assert.Equal("1", Cell("RC_c.ndjson", "missing_field")); // a blank subreddit
    }
}

/// <summary>The two zstd decoders (the system's libzstd and ZstdSharp) give the same store and the same counts.</summary>
public sealed class ZstdDecoderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task Native_and_managed_decoders_read_whole_and_cut_files_alike()
    {
        Skip.IfNot(ForumPrefs.Sources.RedditDump.NativeZstdStream.Available, "the system's libzstd is not installed here");
        var lines = Enumerable.Range(0, 4000).Select(p => Post($"p{p}", "askscience", 1_600_000_000 + p)).ToList();
        WriteLongWindowZst(_folder.File("RS_whole.zst"), lines);
        var bytes = File.ReadAllBytes(_folder.File("RS_whole.zst"));
        File.WriteAllBytes(_folder.File("RS_cut.zst"), bytes[..(bytes.Length * 2 / 3)]);
        WriteLongWindowZst(_folder.File("RS_other.zst"), lines.Select(l => l.Replace("\"p", "\"q")));

        var outcomes = new List<string>();
        foreach (var decoder in new[] { "native", "managed" })
        {
            var result = await Support.Cli.RunAsync(_folder.Path, "ingest", "reddit-dump", "RS_whole.zst", "RS_cut.zst", "RS_other.zst",
                "--db", $"{decoder}.db", "--zstd", decoder, "--format", "csv");
            Assert.Equal(3, result.ExitCode); // the cut file's last line is a counted skip
            var table = result.Out.Split('\n').Where(l => l.StartsWith("RS_", StringComparison.Ordinal)).ToList();
            var header = result.Out.Split('\n')[0].Split(',').ToList();
            string Cell(string file, string column) => table.Single(l => l.StartsWith(file + ",", StringComparison.Ordinal)).Split(',')[header.IndexOf(column)];
            Assert.Equal("1", Cell("RS_cut.zst", "truncated_zstd"));
            Assert.Equal("0", Cell("RS_whole.zst", "truncated_zstd"));
            Assert.Equal("4000", Cell("RS_whole.zst", "posts"));
            using var store = ForumPrefs.Store.ForumStore.Open(_folder.File($"{decoder}.db"));
            outcomes.Add(string.Join('\n', table) + Sql.Text(store, "SELECT count(*) || ':' || group_concat(id, ',') FROM (SELECT id FROM posts ORDER BY id)"));
        }

        Assert.Equal(outcomes[0], outcomes[1]);
    }

    [SkippableFact]
    public void Mutated_zst_files_never_crash_the_native_decoder()
    {
        Skip.IfNot(ForumPrefs.Sources.RedditDump.NativeZstdStream.Available, "the system's libzstd is not installed here");
        WriteLongWindowZst(_folder.File("seed.zst"), Enumerable.Range(0, 500).Select(p => Post($"p{p}")));
        var seed = File.ReadAllBytes(_folder.File("seed.zst"));
        var mutator = new ForumPrefs.Tests.Fuzz.Mutator(11);
        var broken = 0;
        for (var i = 0; i < 300; i++)
        {
            var path = _folder.File($"m{i % 4}.zst");
            File.WriteAllBytes(path, mutator.Mutate(seed));
            using var reader = new ForumPrefs.Sources.RedditDump.DumpLineReader(path, decoder: ForumPrefs.Sources.RedditDump.ZstdDecoder.Native);
            while (reader.TryRead(out _, out _))
            {
            }
            broken += reader.Failure is null ? 0 : 1;
        }
        Assert.True(broken > 0, "no mutation was reported as a broken stream");
    }
}
