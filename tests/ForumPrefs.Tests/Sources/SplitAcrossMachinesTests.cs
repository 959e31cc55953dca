using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using static ForumPrefs.Tests.Support.DumpFiles;

namespace ForumPrefs.Tests.Sources;

/// <summary>
/// The recipes README gives for more than one machine. Split by forum (each machine ingests every file with its own
/// --subreddit list), build pairs and export on each, and read the union of the exports: pairs need whole threads, so
/// this equals one machine doing everything only when no forum is split. Split by file (monthly files on each machine),
/// merge the stores into one (<c>forumprefs merge</c>), then pair and export once.
/// </summary>
public sealed class SplitAcrossMachinesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Exports_of_stores_split_by_forum_union_to_the_export_of_one_store()
    {
        // Two monthly files, as real dumps come: comments of January's posts arrive in February's file too.
        var random = new Random(9);
        List<string> January = [], February = [];
        foreach (var subreddit in new[] { "askscience", "explainlikeimfive", "askhistorians" })
            for (var p = 0; p < 30; p++)
            {
                var created = 1_600_000_000 + p * 3600;
                January.Add(Post($"{subreddit[..3]}{p}", subreddit, created, score: 40));
                for (var c = 0; c < 6; c++)
                    (c % 2 == 0 ? January : February).Add(Comment($"{subreddit[..3]}{p}c{c}", $"{subreddit[..3]}{p}", $"t3_{subreddit[..3]}{p}", subreddit,
                        created + 600 * (c + 1), score: 2 + random.Next(60)));
            }
        WritePlain(_folder.File("RC_2020-09.ndjson"), January);
        WritePlain(_folder.File("RC_2020-10.ndjson"), February);
        string[] files = ["RC_2020-09.ndjson", "RC_2020-10.ndjson"];
        // Question clusters span forums, and a machine holding some forums cannot see the others' questions: the
        // recipe pairs without them (or merges the stores before pairing, which keeps them).
        string[] pairing = ["--min-score-age", "0", "--min-post-score", "0", "--keep", "question-clusters"];

        async Task Machine(string db, string? subreddits, string outFolder, string[]? only = null)
        {
            string[] filter = subreddits is null ? [] : ["--subreddit", subreddits];
            Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, ["ingest", "reddit-dump", .. only ?? files, "--db", db, .. filter])).ExitCode);
            Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, ["pairs", "--db", db, .. pairing])).ExitCode);
            Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--db", db, "--out", outFolder)).ExitCode);
        }
        await Machine("one.db", null, "one");
        await Machine("a.db", "askscience,explainlikeimfive", "machine-a");
        await Machine("b.db", "askhistorians", "machine-b");

        const string columns = "post_id, domain, c_root_id_A, c_root_id_B, score_A, score_B, labels, score_ratio, human_ref_A, human_ref_B";
        var one = Duck.Query($"SELECT {columns} FROM read_parquet('{Duck.Path(_folder.File("one/*/*.parquet"))}') ORDER BY ALL").Rows;
        var union = Duck.Query($"""
            SELECT {columns} FROM read_parquet(['{Duck.Path(_folder.File("machine-a/*/*.parquet"))}', '{Duck.Path(_folder.File("machine-b/*/*.parquet"))}'])
            ORDER BY ALL
            """).Rows;
        Assert.True(one.Count > 50, $"{one.Count} pairs");
        Assert.Equal(one.Select(r => string.Join('|', r)), union.Select(r => string.Join('|', r)));

        // Split by month instead, threads are cut in two and pairs are lost: why the recipe splits by forum.
        await Machine("jan.db", null, "machine-jan", [files[0]]);
        var february = await Support.Cli.RunAsync(_folder.Path, ["ingest", "reddit-dump", files[1], "--db", "feb.db"]);
        Assert.Equal(0, february.ExitCode);
        var byMonth = Duck.Scalar($"SELECT count(*) FROM read_parquet('{Duck.Path(_folder.File("machine-jan/*/*.parquet"))}')");
        Assert.True(byMonth < one.Count, $"by month {byMonth}, one machine {one.Count}");
    }

    [Fact]
    public async Task Stores_split_by_month_merge_into_the_store_of_one_machine()
    {
        // Replies answer comments of the other month, and one comment is seen again in February's file with a later
        // score (a re-released file): its score history spans both stores.
        List<string> january = [], february = [];
        var random = new Random(11);
        foreach (var subreddit in new[] { "askscience", "askhistorians" })
            for (var p = 0; p < 20; p++)
            {
                var post = $"{subreddit[..3]}{p}";
                var created = 1_600_000_000 + p * 3600;
                january.Add(Post(post, subreddit, created, score: 40));
                for (var c = 0; c < 6; c++)
                    (c % 2 == 0 ? january : february).Add(Comment($"{post}c{c}", post, c < 3 ? $"t3_{post}" : $"t1_{post}c{c - 3}", subreddit,
                        created + 600 * (c + 1), score: 2 + random.Next(60)));
            }
        february.Add(Comment("ask0c0", "ask0", "t3_ask0", "askscience", 1_600_000_600, score: 99)
            .Replace($"\"retrieved_on\":{1_600_200_600}", $"\"retrieved_on\":{1_600_400_600}", StringComparison.Ordinal));
        WritePlain(_folder.File("RC_2020-09.ndjson"), january);
        WritePlain(_folder.File("RC_2020-10.ndjson"), february);

        async Task<Support.Cli.Outcome> Run(params string[] args) => await Support.Cli.RunAsync(_folder.Path, args);
        Assert.Equal(0, (await Run("ingest", "reddit-dump", "RC_2020-09.ndjson", "RC_2020-10.ndjson", "--db", "one.db")).ExitCode);
        Assert.Equal(0, (await Run("ingest", "reddit-dump", "RC_2020-09.ndjson", "--db", "jan.db")).ExitCode);
        Assert.Equal(0, (await Run("ingest", "reddit-dump", "RC_2020-10.ndjson", "--db", "feb.db")).ExitCode);

        // February into January's store, and both, the other way round, into a new one.
        var merge = await Run("merge", "feb.db", "--db", "jan.db", "--format", "csv");
        Assert.Equal(0, merge.ExitCode);
        Assert.Contains("store,posts,new_posts,comments,new_comments", merge.Out);
        Assert.Contains("feb.db,0,0,121,120,", merge.Out); // every February comment but the one seen again is new
        Assert.Equal(0, (await Run("merge", "feb.db", "jan.db", "--db", "both.db")).ExitCode);

        StoreFingerprint Fingerprint(string db)
        {
            using var store = ForumStore.Open(_folder.File(db), create: false);
            return store.Fingerprint();
        }
        var one = Fingerprint("one.db");
        Assert.True(one.RowCounts["score_snapshots"] > 0);
        Assert.Equal(one.ToString(), Fingerprint("jan.db").ToString());
        Assert.Equal(one.ToString(), Fingerprint("both.db").ToString());

        // Pairs and export from the merged store are those of the one machine.
        foreach (var db in new[] { "one.db", "jan.db" })
        {
            Assert.Equal(0, (await Run("pairs", "--db", db, "--min-score-age", "0", "--min-post-score", "0")).ExitCode);
            Assert.Equal(0, (await Run("export", "--db", db, "--out", $"out-{db}")).ExitCode);
        }
        string Rows(string folder) => string.Join("\n", Duck.Query($"""
            SELECT post_id, c_root_id_A, c_root_id_B, score_A, score_B, labels, score_ratio, human_ref_A, human_ref_B
            FROM read_parquet('{Duck.Path(_folder.File($"{folder}/*/*.parquet"))}') ORDER BY ALL
            """).Rows.Select(r => string.Join('|', r)));
        Assert.Equal(Rows("out-one.db"), Rows("out-jan.db"));

        // Merging again changes nothing; a merged store's stale pairs are named; bad sources are one-line errors.
        var again = await Run("merge", "feb.db", "--db", "jan.db", "--format", "csv");
        Assert.Contains("feb.db,0,0,121,0,0,", again.Out);
        Assert.Contains("run 'forumprefs pairs' again", again.Error);
        Assert.Equal(one.RowCounts["comments"], Fingerprint("jan.db").RowCounts["comments"]);
        var itself = await Run("merge", "jan.db", "--db", "jan.db");
        Assert.NotEqual(0, itself.ExitCode);
        Assert.Contains("is this store", itself.Error);
        var notAStore = await Run("merge", "RC_2020-09.ndjson", "--db", "jan.db");
        Assert.NotEqual(0, notAStore.ExitCode);
        Assert.Single(notAStore.Error.Trim().Split('\n'));
    }
}
