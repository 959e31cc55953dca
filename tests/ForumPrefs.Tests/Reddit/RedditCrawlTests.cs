using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Diagnostics;
using System.Text.Json;

namespace ForumPrefs.Tests.Reddit;

/// <summary>Crawls against a fake Reddit on 127.0.0.1 that replays PRAW's recorded responses.</summary>
public sealed class RedditCrawlTests : IAsyncDisposable
{
    private const string Cassettes = "reddit_api/praw-dev_praw";
    private readonly TempFolder _folder = new();
    private readonly FastForwardTime _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private FakeReddit? _reddit;

    private FakeReddit Reddit
    {
        get
        {
            if (_reddit is null)
            {
                _reddit = new FakeReddit(_time);
                foreach (var (name, value) in _reddit.Environment())
                    Environment.SetEnvironmentVariable(name, value);
            }
            return _reddit;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_reddit is not null)
            await _reddit.DisposeAsync();
        _folder.Dispose();
    }

    private Task<Support.Cli.Outcome> Crawl(string db, params string[] args) => ForumPrefsAppRun(
        ["crawl", "reddit", .. args, "--db", db, "--api-base", Reddit.Url, "--auth-base", Reddit.Url, "--timeout", "2"]);

    private async Task<Support.Cli.Outcome> ForumPrefsAppRun(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(args, new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), default, _time);
        return new Support.Cli.Outcome(code, output.ToString(), error.ToString());
    }

    /// <summary>Every t1 in every recorded body, read independently of the crawler: id → (parent, score, created).</summary>
    private static Dictionary<string, (string Parent, int Score, long Created)> RecordedComments()
    {
        var comments = new Dictionary<string, (string, int, long)>();
        void Walk(JsonElement children)
        {
            foreach (var child in children.EnumerateArray())
            {
                if (child.GetProperty("kind").GetString() != "t1")
                    continue;
                var d = child.GetProperty("data");
                comments[d.GetProperty("id").GetString()!] = (d.GetProperty("parent_id").GetString()![3..], d.GetProperty("score").GetInt32(), (long)d.GetProperty("created_utc").GetDouble());
                if (d.GetProperty("replies").ValueKind == JsonValueKind.Object)
                    Walk(d.GetProperty("replies").GetProperty("data").GetProperty("children"));
            }
        }
        var index = JsonDocument.Parse(File.ReadAllText(Fixtures.File($"{Cassettes}/TestCommentForest.test_replace__all.bodies.index.json")));
        foreach (var entry in index.RootElement.EnumerateArray())
        {
            var body = JsonDocument.Parse(File.ReadAllText(Fixtures.File($"{Cassettes}/{entry.GetProperty("file").GetString()}"))).RootElement;
            Walk(body.ValueKind == JsonValueKind.Array ? body[1].GetProperty("data").GetProperty("children") : body.GetProperty("json").GetProperty("data").GetProperty("things"));
        }
        return comments;
    }

    private static int DepthOf(string id, Dictionary<string, (string Parent, int Score, long Created)> all)
    {
        var depth = 0;
        for (var parent = all[id].Parent; all.ContainsKey(parent); parent = all[parent].Parent)
            depth++;
        return depth;
    }

    private static Dictionary<string, (string Parent, int Depth, int Score, long Created)> Stored(ForumStore store)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = "SELECT id, parent_id, depth, score, created_utc FROM comments WHERE post_id = '3hahrw'";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, (string, int, int, long)>();
        while (reader.Read())
            rows.Add(reader.GetString(0), (reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4)));
        return rows;
    }

    [SkippableFact]
    public async Task Crawling_3hahrw_stores_every_recorded_comment_once_with_parent_depth_score_and_time()
    {
        var expected = RecordedComments();

        var result = await Crawl("tree.db", "--post", "3hahrw");

        Assert.True(result.ExitCode == 0, result.Error);
        using var store = ForumStore.Open(_folder.File("tree.db"));
        var stored = Stored(store);
        Assert.Equal(expected.Keys.Order(), stored.Keys.Order());
        foreach (var (id, (parent, score, created)) in expected)
            Assert.Equal((parent, DepthOf(id, expected), score, created), stored[id]);
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM posts WHERE id = '3hahrw' AND title = 'Ba Dum Tsss'"));
        Assert.Equal(6, Reddit.Log.Count(l => l.StartsWith("GET /comments/3hahrw/_/", StringComparison.Ordinal)));
        Assert.Contains("stored 1 posts and " + expected.Count, result.Out);
        // The recording itself asked for two ids Reddit never served (cu5tkk4, cu5tpek): said, not hidden.
        Assert.Contains("2 comments named in 'more' objects were not served by Reddit", result.Out);

        // Fewer requests than PRAW's own recording of the same tree: ids from several 'more' objects go in one call
        // (at most 100), and the 'more' objects Reddit answers with for the rest are followed.
        var asks = Reddit.MoreChildrenAsks.ToList();
        Assert.All(asks, a => Assert.InRange(a.Length, 1, 100));
        Assert.True(asks[0].Length > 1, "the first call takes ids from several 'more' objects");
        var prawRequests = JsonDocument.Parse(File.ReadAllText(Fixtures.File($"{Cassettes}/TestCommentForest.test_replace__all.bodies.index.json"))).RootElement.GetArrayLength();
        var ours = Reddit.Log.Count(l => l.StartsWith("GET /comments/", StringComparison.Ordinal) || l.StartsWith("POST /api/morechildren", StringComparison.Ordinal));
        Assert.Equal(19, prawRequests);
        Assert.True(ours < prawRequests, $"{ours} requests, PRAW's recording took {prawRequests}");
        Assert.Contains($"{ours} of them for comment trees ({1000.0 * ours / expected.Count:F1} per 1,000 comments)", result.Out);
    }

    [SkippableFact]
    public async Task Nested_pairs_of_the_real_thread_are_exported_not_dropped()
    {
        Assert.Equal(0, (await Crawl("nested.db", "--post", "3hahrw")).ExitCode);
        var pairs = await ForumPrefsAppRun(["pairs", "--db", "nested.db", "--keep", "nested,link-posts", "--min-score-age", "0", "--format", "json"]);
        Assert.Equal(0, pairs.ExitCode);
        var built = JsonDocument.Parse(pairs.Out).RootElement[0].GetProperty("pairs").GetInt64();
        using (var store = ForumStore.Open(_folder.File("nested.db"), create: false))
            Assert.True(Sql.Scalar(store, "SELECT count(*) FROM pairs x JOIN comments c ON c.pk = x.preferred_pk WHERE c.depth > 0") > 0);

        var export = await ForumPrefsAppRun(["export", "--db", "nested.db", "--layout", "jsonl", "--out", "nested"]);

        Assert.Equal(0, export.ExitCode);
        Assert.DoesNotContain("deleted since", export.Error);
        Assert.Equal(built, Directory.GetFiles(_folder.File("nested/funny"), "*.json").Sum(f => File.ReadLines(f).Count()));
    }

    [SkippableFact]
    public async Task A_stingy_Reddit_still_gives_the_whole_tree_by_default()
    {
        // One asked comment's subtree per answer, the rest as new 'more' objects: many more calls, no cut-off.
        Reddit.MaxThingsPerAnswer = 1;
        var expected = RecordedComments();

        var result = await Crawl("stingy.db", "--post", "3hahrw");

        Assert.True(result.ExitCode == 0, result.Error);
        using var store = ForumStore.Open(_folder.File("stingy.db"));
        Assert.Equal(expected.Keys.Order(), Stored(store).Keys.Order());
        Assert.True(Reddit.MoreChildrenAsks.Count > 12, $"{Reddit.MoreChildrenAsks.Count} morechildren calls");
        // The recording itself asked for two ids Reddit never served (cu5tkk4, cu5tpek): said, not hidden.
        Assert.Contains("2 comments named in 'more' objects were not served by Reddit", result.Out);
        Assert.Equal(int.MaxValue, new ForumPrefs.Sources.RedditApi.RedditOptions { UserAgent = "a:b:c (by /u/d)" }.MaxRequestsPerPost);
    }

    [SkippableFact]
    public async Task The_listing_stores_its_100_posts_following_the_after_cursor()
    {
        Reddit.PageSize = 25;

        var result = await Crawl("listing.db", "--subreddit", "askreddit", "--sort", "top", "--time", "all", "--limit", "1000", "--posts-only");

        Assert.True(result.ExitCode == 0, result.Error);
        using var store = ForumStore.Open(_folder.File("listing.db"));
        Assert.Equal(100, Sql.Scalar(store, "SELECT count(*) FROM posts"));
        Assert.Equal(38445, Sql.Scalar(store, "SELECT max(score) FROM posts"));
        var pages = Reddit.Log.Where(l => l.StartsWith("GET /r/askreddit/top", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, pages.Count);
        Assert.DoesNotContain("after=", pages[0]);
        Assert.All(pages.Skip(1), page => Assert.Contains("after=t3_", page));
    }

    [SkippableFact]
    public async Task Faults_do_not_change_what_is_stored()
    {
        var clean = await Crawl("clean.db", "--post", "3hahrw");
        Assert.True(clean.ExitCode == 0, clean.Error);

        Reddit.Inject(
            new FakeReddit.Fault(FakeReddit.FaultKind.TooManyRequests, "/comments/"),
            new FakeReddit.Fault(FakeReddit.FaultKind.ServerError, "/api/morechildren"),
            new FakeReddit.Fault(FakeReddit.FaultKind.ServerError, "/api/morechildren"),
            new FakeReddit.Fault(FakeReddit.FaultKind.Truncate, "/api/morechildren"),
            new FakeReddit.Fault(FakeReddit.FaultKind.ExpireToken, "/api/morechildren"),
            new FakeReddit.Fault(FakeReddit.FaultKind.Hang, "/comments/3hahrw/_/"));
        var faulty = await Crawl("faulty.db", "--post", "3hahrw");

        Assert.True(faulty.ExitCode == 0, faulty.Error);
        Assert.Empty(Reddit.Log.Where(l => l.StartsWith("fault", StringComparison.Ordinal)).Except(["fault TooManyRequests", "fault ServerError", "fault Truncate", "fault ExpireToken", "fault Hang"]));
        Assert.Equal(6, Reddit.Log.Count(l => l.StartsWith("fault", StringComparison.Ordinal)));
        // Each fault costs one retry. A machine loaded by the tests running beside this one (fault campaigns start
        // child processes) can time out one more request at --timeout 2: that is a retry too, and changes nothing stored.
        var retried = int.Parse(System.Text.RegularExpressions.Regex.Match(faulty.Out, @"\((\d+) retried\)").Groups[1].Value);
        Assert.True(retried is >= 5 and <= 8, faulty.Out);
        Assert.True(_time.Waited >= TimeSpan.FromSeconds(30), $"the 429 must wait for Retry-After (waited {_time.Waited})");
        using var a = ForumStore.Open(_folder.File("clean.db"));
        using var b = ForumStore.Open(_folder.File("faulty.db"));
        Assert.Equal(Stored(a), Stored(b));
        Assert.Equal(Sql.Scalar(a, "SELECT count(*) FROM comments"), Sql.Scalar(b, "SELECT count(*) FROM comments"));
    }

    [SkippableTheory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirecting_token_endpoint_gets_one_line_and_the_credentials_go_nowhere_else(int status)
    {
        Reddit.RedirectTokenWith = status;

        var result = await Crawl("redirect.db", "--post", "3hahrw");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"redirected ({status})", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Empty(Reddit.CredentialsSentElsewhere);
        Assert.DoesNotContain(FakeReddit.ClientSecret, result.Error + result.Out);
    }

    [SkippableFact]
    public async Task A_token_request_that_times_out_is_retried_not_taken_for_an_interruption()
    {
        Reddit.TokenHangs = 1; // longer than --timeout 2

        var result = await Crawl("slow-token.db", "--post", "3hahrw");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(2, Reddit.TokenRequests);
        Assert.True(Sql.ScalarAt(_folder.File("slow-token.db"), "SELECT count(*) FROM comments") > 0);
    }

    [SkippableFact]
    public async Task Secrets_never_reach_the_output_or_the_store()
    {
        Reddit.Inject(new FakeReddit.Fault(FakeReddit.FaultKind.ExpireToken, "/comments/"));
        var result = await Crawl("secret.db", "--post", "3hahrw", "--verbose");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain(FakeReddit.ClientSecret, result.Out + result.Error);
        Assert.DoesNotContain("token-", result.Out + result.Error);
        var bytes = File.ReadAllBytes(_folder.File("secret.db")).Concat(File.Exists(_folder.File("secret.db-wal")) ? File.ReadAllBytes(_folder.File("secret.db-wal")) : []).ToArray();
        Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(FakeReddit.ClientSecret)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("token-"u8));

        // Nor the datasets built from the crawl, in any format.
        Assert.Equal(0, (await ForumPrefsAppRun(["pairs", "--db", "secret.db", "--min-post-score", "0", "--min-score-age", "0", "--keep", "link-posts"])).ExitCode);
        foreach (var format in new[] { "shp", "trl", "jsonl" })
            Assert.Equal(0, (await ForumPrefsAppRun(["export", "--db", "secret.db", "--layout", format, "--out", $"out-{format}"])).ExitCode);
        var exported = Directory.EnumerateFiles(_folder.File("."), "*", SearchOption.AllDirectories).Where(f => f.Contains("/out-")).ToList();
        Assert.NotEmpty(exported);
        foreach (var file in exported)
        {
            var content = File.ReadAllBytes(file);
            Assert.Equal(-1, content.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(FakeReddit.ClientSecret)));
            Assert.Equal(-1, content.AsSpan().IndexOf("token-"u8));
        }
    }

    [SkippableFact]
    public async Task Finished_posts_are_not_fetched_again_and_refresh_records_moved_scores()
    {
        Assert.Equal(0, (await Crawl("refresh.db", "--post", "3hahrw")).ExitCode);
        using (var store = ForumStore.Open(_folder.File("refresh.db")))
        using (var command = store.Connection.CreateCommand())
        {
            // As if the first crawl had seen an earlier score.
            command.CommandText = """
                UPDATE comments SET score = score - 100, first_score = first_score - 100 WHERE id = 'cu5pebp';
                DELETE FROM score_snapshots;
                """;
            command.ExecuteNonQuery();
        }
        var requestsBefore = Reddit.Log.Count;

        var again = await Crawl("refresh.db", "--post", "3hahrw");
        Assert.Equal(requestsBefore, Reddit.Log.Count);
        Assert.Contains("1 posts were stored already", again.Out);

        _time.Advance(TimeSpan.FromDays(2));
        var refreshed = await Crawl("refresh.db", "--refresh");

        Assert.True(refreshed.ExitCode == 0, refreshed.Error);
        using var after = ForumStore.Open(_folder.File("refresh.db"));
        // Every refreshed comment gains a sighting two days on; the one that moved shows both of its scores.
        Assert.Equal(Sql.Scalar(after, "SELECT count(*) FROM comments"),
            Sql.Scalar(after, "SELECT count(*) FROM score_snapshots WHERE item_kind = 'comment'"));
        Assert.Equal("1036,1136", Sql.Text(after, """
            SELECT group_concat(score, ',') FROM (SELECT h.score FROM score_history h JOIN comments c ON c.pk = h.item_pk
            WHERE h.item_kind = 'comment' AND c.id = 'cu5pebp' ORDER BY h.observed_utc)
            """));
        Assert.Equal(1, Sql.Scalar(after, """
            SELECT count(*) FROM score_history h JOIN comments c ON c.pk = h.item_pk
            WHERE h.item_kind = 'comment' AND h.score <> c.first_score AND h.observed_utc > c.first_observed_utc
            """));
        Assert.Equal(1136, Sql.Scalar(after, "SELECT score FROM comments WHERE id = 'cu5pebp'"));
        Assert.Equal(1036, Sql.Scalar(after, "SELECT first_score FROM comments WHERE id = 'cu5pebp'"));
    }

    [SkippableFact]
    public async Task A_request_budget_leaves_the_rest_counted_as_unexpanded()
    {
        var result = await Crawl("budget.db", "--post", "3hahrw", "--max-requests-per-post", "5");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("INCOMPLETE:", result.Out);
        Assert.Contains("bounded by --max-requests-per-post", result.Out);
        Assert.Equal(4, Reddit.Log.Count(l => l.StartsWith("POST /api/morechildren", StringComparison.Ordinal) || l.StartsWith("GET /comments/3hahrw/_/", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task A_killed_crawl_resumes_without_refetching_and_ends_with_the_same_store()
    {
        Reddit.PageSize = 10;
        Assert.Equal(0, (await Crawl("whole.db", "--subreddit", "askreddit", "--posts-only")).ExitCode);
        Reddit.ResponseDelay = TimeSpan.FromMilliseconds(300);

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.Path, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "forumprefs.dll"), "crawl", "reddit", "--subreddit", "askreddit",
                     "--posts-only", "--db", "killed.db", "--api-base", Reddit.Url, "--auth-base", Reddit.Url })
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in Reddit.Environment())
            start.Environment[name] = value;
        using (var child = Process.Start(start)!)
        {
            var clock = Stopwatch.StartNew();
            while (!child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60) && Sql.ScalarAt(_folder.File("killed.db"), "SELECT count(*) FROM posts") < 20)
                await Task.Delay(20);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        var before = Sql.ScalarAt(_folder.File("killed.db"), "SELECT count(*) FROM posts");
        Assert.InRange(before, 20, 90);
        Reddit.ResponseDelay = TimeSpan.Zero;

        // Its own User-Agent: a request the killed child sent just before it died may reach the server only now.
        const string agent = "linux:forumprefs-resumed:0.1 (by /u/tester)";
        var resumed = await Crawl("killed.db", "--subreddit", "askreddit", "--posts-only", "--user-agent", agent);

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("resuming r/askreddit", resumed.Error);
        var pages = Reddit.AgentLog.Count(r => r.UserAgent == agent && r.Request.StartsWith("GET /r/askreddit/top", StringComparison.Ordinal));
        Assert.Equal((100 - before) / 10, pages);
        using var whole = ForumStore.Open(_folder.File("whole.db"));
        using var killed = ForumStore.Open(_folder.File("killed.db"));
        Assert.Equal(Sql.Scalar(whole, "SELECT count(*) FROM posts"), Sql.Scalar(killed, "SELECT count(*) FROM posts"));
        Assert.Equal(Sql.Text(whole, "SELECT group_concat(id || score || title, ',') FROM (SELECT * FROM posts ORDER BY id)"),
            Sql.Text(killed, "SELECT group_concat(id || score || title, ',') FROM (SELECT * FROM posts ORDER BY id)"));
    }
}
