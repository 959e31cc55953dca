using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Security.Cryptography;
using static ForumPrefs.Tests.Support.DumpFiles;

namespace ForumPrefs.Tests.Fuzz;

/// <summary>
/// Kills the dump ingest, a store merge, a crawl and the export with SIGKILL at random points, resumes each time, and checks that
/// the end state equals an uninterrupted run: the same rows and checksums in the store, byte-identical exported files.
/// CI runs a few points; FORUMPREFS_FAULT_POINTS=20 runs the full campaign.
/// </summary>
public sealed class FaultCampaignTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Random _random = new(20);
    private FakeReddit? _reddit;

    private static int Points => int.TryParse(Environment.GetEnvironmentVariable("FORUMPREFS_FAULT_POINTS"), out var n) ? n : 3;

    public async ValueTask DisposeAsync()
    {
        if (_reddit is not null)
            await _reddit.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>A kill point within the middle of a run that takes <paramref name="whole"/> from start to end.</summary>
    private TimeSpan DelayWithin(TimeSpan whole) => whole * (0.35 + 0.5 * _random.NextDouble());

    /// <summary>
    /// Kills runs of <paramref name="args"/> at random points within <paramref name="whole"/> and counts those that ended mid-run
    /// (<paramref name="midRun"/>, read after the kill). The points come from one timed run, and a machine busy with other
    /// tests can make that run slow and the killed ones fast, so that every run ends before its point; then runs on a fresh
    /// store (<paramref name="freshStore"/>) are killed as soon as <paramref name="underWay"/> holds instead (up to
    /// three), so the test always takes a run apart mid-way.
    /// </summary>
    private async Task<int> KillMidRunAsync(TimeSpan whole, IReadOnlyDictionary<string, string>? environment, string[] args,
        Func<bool> midRun, Func<bool> underWay, Action freshStore)
    {
        var landed = 0;
        for (var point = 0; point < Points; point++)
        {
            if (await ChildProcess.RunAndKillAsync(_folder.Path, DelayWithin(whole), environment, args))
                landed += midRun() ? 1 : 0;
        }
        for (var watched = 0; watched < 3 && landed == 0; watched++)
        {
            freshStore();
            if (await ChildProcess.RunAndKillWhenAsync(_folder.Path, underWay, environment, args))
                landed += midRun() ? 1 : 0;
        }
        return landed;
    }

    private long KilledCount(string table) => Sql.ScalarAt(_folder.File("killed.db"), $"SELECT count(*) FROM {table}");

    private void DeleteKilledStore()
    {
        foreach (var file in Directory.EnumerateFiles(_folder.Path, "killed.db*"))
            File.Delete(file);
    }

    /// <summary>Crawls killed mid-way: some posts stored and fewer than <paramref name="all"/>.</summary>
    private Task<int> KillMidCrawlAsync(TimeSpan whole, IReadOnlyDictionary<string, string>? environment, string[] args, long all) =>
        KillMidRunAsync(whole, environment, [.. args, "--db", "killed.db"], () => KilledCount("posts") is var posts && posts > 0 && posts < all,
            () => KilledCount("posts") > 0, DeleteKilledStore);

    /// <summary>
    /// 4,000 posts of 40 comments, a third of them top-level, the rest replies to the comment before: enough lines that
    /// a run outlasts process start-up by far, so a kill point lands mid-run even in a fast run.
    /// </summary>
    private static List<string> DumpLines()
    {
        var lines = new List<string>();
        for (var p = 0; p < 4000; p++)
        {
            lines.Add(Post($"p{p}", created: 1_600_000_000 + p));
            for (var c = 0; c < 40; c++)
                lines.Add(Comment($"p{p}c{c}", $"p{p}", c % 3 == 0 ? $"t3_p{p}" : $"t1_p{p}c{c - 1}", created: 1_600_000_100 + p));
        }
        return lines;
    }

    // With two workers the writer's transaction holds parts of both files' batches, and one file's checkpoint commits
    // the other's rows ahead of their own: a resume writes those again, which must change nothing.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Dump_ingest_killed_at_random_points_ends_like_an_uninterrupted_run(int jobs)
    {
        var lines = DumpLines();
        WriteLongWindowZst(_folder.File("RC.zst"), lines.Take(lines.Count / 2));
        WritePlain(_folder.File("RS.ndjson"), lines.Skip(lines.Count / 2));
        string[] args = ["ingest", "reddit-dump", "RC.zst", "RS.ndjson", "--jobs", $"{jobs}"];
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, ["ingest", "reddit-dump", "RC.zst", "RS.ndjson", "--jobs", "1", "--db", "whole.db"])).ExitCode);

        var whole = await ChildProcess.TimeAsync(_folder.Path, null, [.. args, "--db", "timed.db"]);
        var kills = await KillMidRunAsync(whole, null, [.. args, "--db", "killed.db"], () => true, () => KilledCount("comments") > 0, DeleteKilledStore);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "killed.db"])).ExitCode);

        Assert.True(kills > 0, "no run was killed before it finished");
        using var uninterrupted = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Fingerprint(uninterrupted), Sql.Fingerprint(killed));
        Assert.Equal(Sql.Text(uninterrupted, "SELECT group_concat(id || depth, ',') FROM (SELECT id, depth FROM comments ORDER BY id)"),
            Sql.Text(killed, "SELECT group_concat(id || depth, ',') FROM (SELECT id, depth FROM comments ORDER BY id)"));
    }

    // A merge commits chunk by chunk and is run again from the start: the chunks a killed run committed are no-ops then.
    // (That a merge stopped between chunks holds part of the other store is StoreMergeTests'.)
    [Fact]
    public async Task A_merge_killed_at_random_points_ends_like_an_uninterrupted_one()
    {
        var lines = DumpLines();
        // Two "months": the threads in the middle are cut in two, replies in one half answer comments in the other.
        WritePlain(_folder.File("first.ndjson"), lines.Take(lines.Count / 2));
        WritePlain(_folder.File("second.ndjson"), lines.Skip(lines.Count / 2));
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "ingest", "reddit-dump", "first.ndjson", "--db", "first.db")).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "ingest", "reddit-dump", "second.ndjson", "--db", "second.db")).ExitCode);
        foreach (var copy in new[] { "whole.db", "timed.db", "killed.db" })
            File.Copy(_folder.File("first.db"), _folder.File(copy));
        string[] merge = ["merge", "second.db", "--db"];
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. merge, "whole.db"])).ExitCode);

        var whole = await ChildProcess.TimeAsync(_folder.Path, null, [.. merge, "timed.db"]);
        var firstComments = Sql.ScalarAt(_folder.File("first.db"), "SELECT count(*) FROM comments");
        var kills = await KillMidRunAsync(whole, null, [.. merge, "killed.db"], () => true, () => KilledCount("comments") > firstComments, () =>
        {
            DeleteKilledStore();
            File.Copy(_folder.File("first.db"), _folder.File("killed.db"));
        });
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. merge, "killed.db"])).ExitCode);

        Assert.True(kills > 0, $"no merge was killed before it finished (a whole merge took {whole.TotalMilliseconds:N0} ms)");
        using var uninterrupted = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Fingerprint(uninterrupted), Sql.Fingerprint(killed));
        Assert.Equal(lines.Count, Sql.Scalar(killed, "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments)"));
        Assert.Equal(0, Sql.Scalar(killed, "SELECT count(*) FROM comments WHERE depth < 0"));
    }

    [SkippableFact]
    public async Task A_crawl_killed_at_random_points_ends_like_an_uninterrupted_run()
    {
        _reddit = new FakeReddit(TimeProvider.System) { PageSize = 5 };
        string[] args = ["crawl", "reddit", "--subreddit", "askreddit", "--posts-only", "--api-base", _reddit.Url, "--auth-base", _reddit.Url];
        var environment = _reddit.Environment();
        foreach (var (name, value) in environment)
            Environment.SetEnvironmentVariable(name, value);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "whole.db"])).ExitCode);
        _reddit.ResponseDelay = TimeSpan.FromMilliseconds(60);
        var whole = await ChildProcess.TimeAsync(_folder.Path, environment, [.. args, "--db", "timed.db"]);

        // A kill counts when it left the crawl half done: some pages stored, not all.
        var midCrawl = await KillMidCrawlAsync(whole, environment, args, all: 100);
        _reddit.ResponseDelay = TimeSpan.Zero;
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "killed.db"])).ExitCode);

        // Every stored value but the observation times (each crawl reads at its own time) must match.
        const string content = "SELECT count(*) || ':' || group_concat(id || '|' || title || '|' || score || '|' || author || '|' || created_utc || '|' || num_comments, ',') FROM (SELECT * FROM posts ORDER BY id)";
        Assert.True(midCrawl > 0, $"no kill landed mid-crawl (a whole crawl took {whole.TotalMilliseconds:N0} ms)");
        using var uninterrupted = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Text(uninterrupted, content), Sql.Text(killed, content));
        Assert.Equal(100, Sql.Scalar(killed, "SELECT count(*) FROM posts"));
        Assert.Equal(0, Sql.Scalar(killed, "SELECT count(*) FROM score_snapshots"));
    }

    // Some posts cannot be had (gone, private, banned): killed runs and their resumption must still end with every other
    // post stored exactly as a clean run stores it, and the unreachable ones counted, never half-stored.
    [SkippableFact]
    public async Task A_crawl_with_unreachable_posts_killed_at_random_points_ends_like_a_clean_run_without_them()
    {
        _reddit = new FakeReddit(TimeProvider.System) { PageSize = 5, ServeListingPosts = true };
        string[] args = ["crawl", "reddit", "--subreddit", "askreddit", "--limit", "20", "--api-base", _reddit.Url, "--auth-base", _reddit.Url];
        var environment = _reddit.Environment();
        foreach (var (name, value) in environment)
            Environment.SetEnvironmentVariable(name, value);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "whole.db"])).ExitCode);
        var unreachable = _reddit.ListingIds().Take(20).Where((_, i) => i % 7 == 3).ToList();
        foreach (var (id, status) in unreachable.Zip(new[] { 404, 403, 451 }))
            _reddit.Statuses[$"/comments/{id}"] = status;
        _reddit.ResponseDelay = TimeSpan.FromMilliseconds(60);
        var whole = await ChildProcess.TimeAsync(_folder.Path, environment, [.. args, "--db", "timed.db"]);

        var midCrawl = await KillMidCrawlAsync(whole, environment, args, all: 20 - unreachable.Count);
        _reddit.ResponseDelay = TimeSpan.Zero;
        var last = await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "killed.db"]);

        Assert.True(midCrawl > 0, $"no kill landed mid-crawl (a whole crawl took {whole.TotalMilliseconds:N0} ms)");
        Assert.Equal(3, last.ExitCode);
        Assert.Contains("could not fetch 3 posts: 2 forbidden, 1 gone", last.Out);
        var without = string.Join(",", unreachable.Select(id => $"'{id}'"));
        var content = "SELECT count(*) || ':' || group_concat(id || '|' || title || '|' || score || '|' || author || '|' || created_utc, ',') " +
            $"FROM (SELECT * FROM posts WHERE id NOT IN ({without}) ORDER BY id)";
        using var clean = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Text(clean, content), Sql.Text(killed, content));
        Assert.Equal(20 - unreachable.Count, Sql.Scalar(killed, "SELECT count(*) FROM posts"));
    }

    // Pages cached by a killed crawl, and cache files cut short (a kill mid-write under an older version, a full disk):
    // resumed, the crawl ends with the store of a clean one.
    [SkippableFact]
    public async Task An_html_crawl_killed_at_random_points_with_cut_cache_files_ends_like_a_clean_run()
    {
        await using var site = await SavedPagesSite.StartAsync();
        string[] args = ["crawl", "html", .. Enumerable.Range(0, 30).Select(n => $"{site.Url}/questions/{n}"), "--profile", "stackexchange",
            "--interval", "0"];
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "whole.db", "--cache", "clean-cache"])).ExitCode);
        site.ResponseDelay = TimeSpan.FromMilliseconds(60);
        var whole = await ChildProcess.TimeAsync(_folder.Path, null, [.. args, "--db", "timed.db", "--cache", "timed-cache"]);

        // The 30 URLs serve two threads again and again: how far a crawl got is its count of stored pages (checkpoints).
        long Pages() => KilledCount("checkpoints WHERE source = 'html'");
        var midCrawl = await KillMidRunAsync(whole, null, [.. args, "--cache", "cache", "--db", "killed.db"], () => Pages() is > 0 and < 30,
            () => Pages() > 0, DeleteKilledStore);
        site.ResponseDelay = TimeSpan.Zero;
        var cut = 0;
        foreach (var file in Directory.EnumerateFiles(_folder.File("cache")).Where((_, i) => i % 3 == 0))
        {
            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
            cut++;
        }
        var last = await Support.Cli.RunAsync(_folder.Path, [.. args, "--cache", "cache", "--db", "killed.db", "--refresh"]);

        Assert.True(midCrawl > 0, $"no kill landed mid-crawl (a whole crawl took {whole.TotalMilliseconds:N0} ms)");
        Assert.True(cut > 0);
        Assert.True(last.ExitCode == 0, last.Error);
        Assert.Contains("cache entries were cut or damaged", last.Out);
        const string content = "SELECT count(*) || ':' || group_concat(x, '|') FROM (SELECT post_id || id || parent_id || depth || body || score || created_utc AS x FROM comments ORDER BY 1)";
        using var clean = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Text(clean, content), Sql.Text(killed, content));
        Assert.Equal(30, Sql.Scalar(killed, "SELECT count(*) FROM checkpoints WHERE source = 'html'"));
    }

    [SkippableFact]
    public async Task A_Discourse_crawl_killed_at_random_points_ends_like_an_uninterrupted_run()
    {
        await using var site = new FakeDiscourse();
        string[] args = ["crawl", "discourse", "--site", site.Url, "--limit", "10", "--interval", "0"];
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "whole.db"])).ExitCode);
        site.ResponseDelay = TimeSpan.FromMilliseconds(150);
        var whole = await ChildProcess.TimeAsync(_folder.Path, null, [.. args, "--db", "timed.db"]);

        var midCrawl = await KillMidCrawlAsync(whole, null, args, all: 3);
        site.ResponseDelay = TimeSpan.Zero;
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, [.. args, "--db", "killed.db"])).ExitCode);

        Assert.True(midCrawl > 0, $"no kill landed mid-crawl (a whole crawl took {whole.TotalMilliseconds:N0} ms)");
        // Every stored value but the observation times (each crawl reads at its own time) must match.
        const string content = "SELECT group_concat(x, '|') FROM (SELECT post_id || id || parent_id || depth || body || author || score || created_utc || meta AS x FROM comments ORDER BY 1)";
        using var uninterrupted = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Text(uninterrupted, content), Sql.Text(killed, content));
        Assert.Equal(3, Sql.Scalar(killed, "SELECT count(*) FROM posts"));
        Assert.Equal(0, Sql.Scalar(killed, "SELECT count(*) FROM score_snapshots"));
    }

    [Fact]
    public async Task An_export_killed_at_random_points_ends_with_identical_files()
    {
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "simulate", "--posts", "1500")).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "pairs")).ExitCode);
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--out", "reference")).ExitCode);

        var whole = await ChildProcess.TimeAsync(_folder.Path, null, "export", "--out", "timed");

        // A kill counts when it landed mid-export: the hidden partial folder is there and the dataset is not.
        bool Partial() => Directory.EnumerateDirectories(_folder.Path, ".killed.partial-*").Any();
        var midExport = await KillMidRunAsync(whole, null, ["export", "--out", "killed"], () => Partial() && !Directory.Exists(_folder.File("killed")),
            Partial, () =>
            {
                foreach (var folder in Directory.EnumerateDirectories(_folder.Path, "*killed*"))
                    Directory.Delete(folder, recursive: true);
            });
        Assert.Equal(0, (await Support.Cli.RunAsync(_folder.Path, "export", "--out", "killed")).ExitCode);

        Assert.True(midExport > 0, $"no kill landed mid-export (a whole export took {whole.TotalMilliseconds:N0} ms)");
        Assert.Equal(Hashes(_folder.File("reference")), Hashes(_folder.File("killed")));
    }

    /// <summary>Relative path → SHA-256 of every file a finished export leaves (temporary .partial files excluded).</summary>
    private static Dictionary<string, string> Hashes(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Where(f => !f.EndsWith(".partial", StringComparison.Ordinal))
        .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
