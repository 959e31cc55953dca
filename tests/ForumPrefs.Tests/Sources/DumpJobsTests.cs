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
        Assert.Contains(",1,", outcomes[0].Report.Split('\n').Single(l => l.StartsWith("RC_b.ndjson")));
    }
}
