using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForumPrefs.Tests.Reliability;

/// <summary>
/// Reddit crawls against the fake Reddit (PRAW's recorded responses) where some posts cannot be had: each is a counted
/// skip, the crawl goes on, and the next run tries them again.
/// </summary>
public sealed class RedditFailureTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FastForwardTime _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private FakeReddit? _reddit;

    private FakeReddit Reddit
    {
        get
        {
            if (_reddit is null)
            {
                _reddit = new FakeReddit(_time) { ServeListingPosts = true };
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

    private async Task<Support.Cli.Outcome> Crawl(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(
            ["crawl", "reddit", .. args, "--db", "reddit.db", "--api-base", Reddit.Url, "--auth-base", Reddit.Url, "--timeout", "2"],
            new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), cancellationToken, _time);
        return new Support.Cli.Outcome(code, output.ToString(), error.ToString());
    }

    private Task<Support.Cli.Outcome> Listing(params string[] more) =>
        Crawl(["--subreddit", "askreddit", "--limit", "5", .. more]);

    private List<string> StoredPosts()
    {
        using var store = ForumStore.Open(_folder.File("reddit.db"));
        using var command = store.Connection.CreateCommand();
        command.CommandText = "SELECT id FROM posts ORDER BY id";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
            ids.Add(reader.GetString(0));
        return ids;
    }

    private int Asked(string path) => Reddit.Log.Count(l => l.StartsWith($"GET {path}", StringComparison.Ordinal));

    [SkippableFact]
    public async Task A_post_that_is_gone_or_broken_is_counted_and_the_listing_goes_on()
    {
        var posts = Reddit.ListingIds().Take(5).ToList();
        Reddit.Statuses[$"/comments/{posts[1]}"] = 404;
        Reddit.Statuses[$"/comments/{posts[3]}"] = 500;

        var first = await Listing();

        Assert.Equal(3, first.ExitCode);
        Assert.Contains("could not fetch 2 posts: 1 gone, 1 server error after retries", first.Out);
        Assert.Equal(new[] { posts[0], posts[2], posts[4] }.Order(StringComparer.Ordinal), StoredPosts());
        Assert.Equal(7, Asked($"/comments/{posts[3]}")); // the first try and six retries, then on to the next post

        // A rerun tries the two again (and only them: the listing is done).
        var again = await Listing();
        Assert.Equal(3, again.ExitCode);
        Assert.Equal(2, Asked($"/comments/{posts[1]}"));
        Assert.Equal(1, Asked($"/comments/{posts[0]}"));

        // --skip-failed leaves them and says so.
        var skipping = await Listing("--skip-failed");
        Assert.Equal(0, skipping.ExitCode);
        Assert.Contains("2 posts earlier runs could not fetch were left (--skip-failed)", skipping.Out);
        Assert.Equal(2, Asked($"/comments/{posts[1]}"));

        // Back again: the next run stores them.
        Reddit.Statuses.Clear();
        var healed = await Listing();
        Assert.True(healed.ExitCode == 0, healed.Error);
        Assert.Equal(posts.Order(StringComparer.Ordinal), StoredPosts());
        var done = await Listing();
        Assert.Contains("crawled to the end already", done.Error);
    }

    [SkippableFact]
    public async Task Posts_named_by_id_that_fail_are_counted_and_the_rest_are_stored()
    {
        var posts = Reddit.ListingIds().Take(3).ToList();
        Reddit.Statuses[$"/comments/{posts[0]}"] = 403;

        var result = await Crawl(["--post", string.Join(',', posts)]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("1 forbidden", result.Out);
        Assert.Equal(posts.Skip(1).Order(StringComparer.Ordinal), StoredPosts());
    }

    [SkippableFact]
    public async Task A_comment_page_of_the_wrong_shape_is_a_counted_skip()
    {
        var posts = Reddit.ListingIds().Take(2).ToList();
        Reddit.Bodies[$"/comments/{posts[0]}"] = () => "[]"u8.ToArray();

        var result = await Crawl(["--post", string.Join(',', posts)]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("could not fetch 1 posts: 1 unreadable", result.Out);
        Assert.Equal([posts[1]], StoredPosts());
    }

    [SkippableFact]
    public async Task Server_errors_on_three_posts_in_a_row_stop_the_crawl_in_one_line_and_a_rerun_resumes()
    {
        var posts = Reddit.ListingIds().Take(5).ToList();
        foreach (var id in posts.Skip(1).Take(3))
            Reddit.Statuses[$"/comments/{id}"] = 503;

        var down = await Listing();

        Assert.Equal(1, down.ExitCode);
        Assert.Single(down.Error.Trim().Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("the site looks down", down.Error);
        Assert.Equal([posts[0]], StoredPosts());

        Reddit.Statuses.Clear();
        var up = await Listing();
        Assert.True(up.ExitCode == 0, up.Error);
        Assert.Equal(posts.Order(StringComparer.Ordinal), StoredPosts());
        Assert.Equal(1, Asked($"/comments/{posts[0]}"));
    }

    [SkippableFact]
    public async Task A_refresh_stopped_half_way_resumes_instead_of_starting_over()
    {
        var posts = Reddit.ListingIds().Take(4).ToList();
        var ids = string.Join(',', posts);
        Assert.Equal(0, (await Crawl(["--post", ids])).ExitCode);

        using var stop = new CancellationTokenSource();
        Reddit.OnRequest = path =>
        {
            if (path == $"/comments/{posts[2]}")
                stop.Cancel();
        };
        var stopped = await Crawl(["--post", ids, "--refresh"], stop.Token);
        Assert.Equal(130, stopped.ExitCode);
        Reddit.OnRequest = null;

        var resumed = await Crawl(["--post", ids, "--refresh"]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming the refresh", resumed.Error);
        // The first crawl, the refresh up to the stop, and its resumption: posts 0 and 1 were refreshed once.
        Assert.Equal(2, Asked($"/comments/{posts[0]}"));
        Assert.Equal(2, Asked($"/comments/{posts[1]}"));
        Assert.Equal(3, Asked($"/comments/{posts[2]}"));
        Assert.Equal(2, Asked($"/comments/{posts[3]}"));
        // A finished refresh lets the next one start a new pass.
        await Crawl(["--post", ids, "--refresh"]);
        Assert.Equal(3, Asked($"/comments/{posts[0]}"));
    }

    /// <summary>A real recorded comment of 3hahrw, repeated as a chain of replies <paramref name="levels"/> deep.</summary>
    private static byte[] DeepThread(string postId, int levels)
    {
        var page = JsonNode.Parse(File.ReadAllText(Fixtures.File("reddit_api/praw-dev_praw/" + JsonDocument.Parse(File.ReadAllText(
            Fixtures.File("reddit_api/praw-dev_praw/TestCommentForest.test_replace__all.bodies.index.json"))).RootElement[0].GetProperty("file").GetString())))!;
        var post = page[0]!["data"]!["children"]![0]!;
        post["data"]!["id"] = postId;
        var template = page[1]!["data"]!["children"]!.AsArray().First(c => (string?)c!["kind"] == "t1")!;
        JsonNode? chain = null;
        for (var level = levels - 1; level >= 0; level--)
        {
            var comment = template.DeepClone();
            var data = comment["data"]!;
            data["id"] = $"deep{level}";
            data["name"] = $"t1_deep{level}";
            data["link_id"] = $"t3_{postId}";
            data["parent_id"] = level == 0 ? $"t3_{postId}" : $"t1_deep{level - 1}";
            data["replies"] = chain is null ? "" : new JsonObject { ["kind"] = "Listing", ["data"] = new JsonObject { ["children"] = new JsonArray(chain) } };
            chain = comment;
        }
        var root = new JsonArray(
            new JsonObject { ["kind"] = "Listing", ["data"] = new JsonObject { ["children"] = new JsonArray(post.DeepClone()) } },
            new JsonObject { ["kind"] = "Listing", ["data"] = new JsonObject { ["children"] = new JsonArray(chain) } });
        return JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { MaxDepth = 100_000 });
    }

    [SkippableFact]
    public async Task A_thread_nested_13_levels_deep_is_stored_whole_and_one_beyond_any_reader_is_a_counted_skip()
    {
        Reddit.Bodies["/comments/deep13"] = () => DeepThread("deep13", 13);
        Reddit.Bodies["/comments/deep400"] = () => DeepThread("deep400", 400);

        var result = await Crawl(["--post", "deep13,deep400"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("1 too deep", result.Out);
        using var store = ForumStore.Open(_folder.File("reddit.db"));
        Assert.Equal(13, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE post_id = 'deep13'"));
        Assert.Equal(12, Sql.Scalar(store, "SELECT max(depth) FROM comments WHERE post_id = 'deep13'"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM posts WHERE id = 'deep400'"));
        Assert.Equal(1, Asked("/comments/deep400")); // too deep is not retried
    }

    [SkippableFact]
    public async Task A_body_over_the_limit_is_a_counted_skip()
    {
        var big = DeepThread("big", 1);
        var padded = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(big).Replace("\"body\":", "\"pad\":\"" + new string('x', 3 << 20) + "\",\"body\":"));
        Reddit.Bodies["/comments/big"] = () => padded;
        Reddit.Bodies["/comments/small"] = () => DeepThread("small", 2);

        var result = await Crawl(["--post", "big,small", "--max-response-mb", "1"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("1 too big", result.Out);
        using var store = ForumStore.Open(_folder.File("reddit.db"));
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM posts"));
    }

    [SkippableFact]
    public async Task A_redirect_to_another_host_is_not_followed_and_the_token_stays()
    {
        await using var elsewhere = new FakeReddit(_time);
        var host = new Uri(elsewhere.Url);
        Reddit.Redirects["/comments/moved"] = $"http://localhost:{host.Port}/comments/3hahrw";
        Reddit.Redirects["/comments/here"] = "/comments/3hahrw";

        var result = await Crawl(["--post", "moved,here"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("1 redirected to another host", result.Out);
        Assert.Empty(elsewhere.Log);
        using var store = ForumStore.Open(_folder.File("reddit.db"));
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM posts WHERE id = '3hahrw'")); // a redirect on the same host is followed
    }

    [SkippableTheory]
    [InlineData("X-Ratelimit-Reset", "1e12")]
    [InlineData("X-Ratelimit-Reset", "1e9")]
    [InlineData("X-Ratelimit-Reset", "NaN")]
    [InlineData("X-Ratelimit-Remaining", "NaN")]
    [InlineData("X-Ratelimit-Remaining", "-5")]
    public async Task Hostile_rate_limit_numbers_never_crash_and_waits_are_bounded_and_said(string header, string value)
    {
        Reddit.HeaderOverrides[header] = value;
        if (header == "X-Ratelimit-Reset")
            Reddit.HeaderOverrides["X-Ratelimit-Remaining"] = "0";

        var result = await Crawl(["--post", "3hahrw"]);

        Assert.True(result.ExitCode == 0, result.Error);
        // Each wait is at most 15 minutes, however long the server asks for (a reset of 1e12 s is 31,000 years).
        var requests = Reddit.Log.Count(l => l.StartsWith("GET", StringComparison.Ordinal) || l.StartsWith("POST", StringComparison.Ordinal));
        Assert.True(_time.Waited <= requests * TimeSpan.FromMinutes(15), $"waited {_time.Waited} over {requests} requests");
        if (value is "1e12" or "1e9")
            Assert.Contains("waiting 15 min as Reddit asks; Ctrl+C to stop and resume later", result.Error);
    }

    [SkippableFact]
    public async Task A_429_asking_for_years_waits_15_minutes_and_says_so()
    {
        var posts = Reddit.ListingIds().Take(2).ToList();
        Reddit.Statuses[$"/comments/{posts[0]}"] = 429;
        Reddit.HeaderOverrides["Retry-After"] = "99999999";

        var result = await Crawl(["--post", string.Join(',', posts)]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("waiting 15 min as Reddit asks", result.Error);
        Assert.Contains("1 server error after retries", result.Out);
        Assert.True(_time.Waited <= TimeSpan.FromMinutes(15 * 7 + 5), $"waited {_time.Waited}");
        Assert.Contains(posts[1], StoredPosts());
    }
}
