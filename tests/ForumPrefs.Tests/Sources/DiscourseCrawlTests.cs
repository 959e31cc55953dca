using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Tests.Sources;

/// <summary>
/// crawl discourse against a stand-in Discourse on 127.0.0.1 replaying recorded responses (see <see cref="FakeDiscourse"/>),
/// on a clock where waits take no time, so pacing, Retry-After and back-off are checked by the time they took.
/// </summary>
public sealed class DiscourseCrawlTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FastForwardTime _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private FakeDiscourse? _fake;

    /// <summary>Started on first use (reading the recorded topic skips the test where ../shared/fixtures is absent).</summary>
    private FakeDiscourse _site => _fake ??= new FakeDiscourse();

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
            await _fake.DisposeAsync();
        _folder.Dispose();
    }

    private async Task<Support.Cli.Outcome> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(args, new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), default, _time);
        return new Support.Cli.Outcome(code, output.ToString(), error.ToString());
    }

    private Task<Support.Cli.Outcome> CrawlAsync(params string[] more) =>
        RunAsync(["crawl", "discourse", "--site", _site.Url, .. more]);

    [SkippableFact]
    public async Task Listing_pages_and_long_topics_are_crawled_whole()
    {
        var result = await CrawlAsync("--limit", "10");

        Assert.Equal(0, result.ExitCode);
        // Page 0 lists topic 1 three times (as the recording does), page 1 has topics 5 and 4 and no next page.
        Assert.Contains("stored 3 topics with 12 posts; 2 topics were stored already", result.Out);
        Assert.Contains(_site.Log, l => l.StartsWith("/latest.json?page=1", StringComparison.Ordinal));
        Assert.DoesNotContain(_site.Log, l => l.StartsWith("/latest.json?page=2", StringComparison.Ordinal));
        // The first page of each topic had 2 posts: the other two came from posts.json, asked by id.
        Assert.Equal(3, _site.Log.Count(l => l.Contains("/posts.json?post_ids[]=86&post_ids[]=226") || l.Contains("/posts.json?post_ids%5B%5D=86&post_ids%5B%5D=226")));
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        var host = new Uri(_site.Url).Host;
        Assert.Equal(3, Sql.Scalar(store, $"SELECT count(*) FROM posts p JOIN forums f ON f.id = p.forum_id WHERE f.source = 'discourse' AND f.name = '{host}'"));
        // Post 2 of the recording is a moderator action ("This topic is now pinned", post_type 2): counted, not an answer.
        Assert.Equal(6, Sql.Scalar(store, "SELECT count(*) FROM comments"));
        Assert.Contains("skipped 3 × not_a_reply", result.Out);
        // Likes from actions_summary id 2 (the recording has no like_count): 5 each for posts 3 and 14.
        Assert.Equal("86:5,226:5", Sql.Text(store, "SELECT group_concat(id || ':' || score, ',') FROM (SELECT id, score FROM comments WHERE post_id = '4' ORDER BY pk)"));
        // Post 14 replies to post 1 (the question): a top-level answer, as are posts without a reply target.
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE parent_id <> post_id"));
        Assert.Contains("THIS SITE IS A SANDBOX", Sql.Text(store, "SELECT title FROM posts WHERE id = '5'"));
        Assert.Equal($"{_site.Url}/t/this-site-is-a-sandbox-it-is-reset-every-day/5", Sql.Text(store, "SELECT url FROM posts WHERE id = '5'"));
        Assert.Equal(3, Sql.Scalar(store, "SELECT json_extract(meta, '$.post_number') FROM comments WHERE post_id = '4' AND id = '86'"));
        Assert.DoesNotContain("<p>", Sql.Text(store, "SELECT group_concat(body) FROM comments"));
    }

    [SkippableFact]
    public async Task A_429_waits_its_Retry_After_and_5xx_are_retried()
    {
        _site.Inject(429, "/t/");
        _site.Inject(503, "/posts.json");
        _site.Inject(502, "/latest.json");

        var result = await CrawlAsync("--limit", "10", "--interval", "0");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(3 retried)", result.Out);
        Assert.True(_time.Waited >= TimeSpan.FromSeconds(_site.RetryAfterSeconds), $"waited {_time.Waited}");
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(6, Sql.Scalar(store, "SELECT count(*) FROM comments"));
    }

    [SkippableFact]
    public async Task Requests_are_paced_by_the_interval()
    {
        var result = await CrawlAsync("--topic", "5", "--interval", "3");

        Assert.Equal(0, result.ExitCode);
        // robots.txt (none here), the topic, then its remaining posts: each after the one before by the interval.
        Assert.Equal(["/robots.txt", "/t/5.json"], _site.Log.Take(2));
        Assert.Equal(3, _site.Log.Count);
        Assert.True(_time.Waited >= TimeSpan.FromSeconds(6), $"waited {_time.Waited}");
    }

    [SkippableFact]
    public async Task Robots_txt_is_read_once_and_what_it_disallows_is_not_crawled()
    {
        // As Discourse's own robots.txt is written, with one more rule: topics are off limits to every crawler.
        _site.RobotsTxt = "User-agent: *\nDisallow: /admin/\nDisallow: /u/\nDisallow: /t/\n\nUser-agent: mauibot\nDisallow: /\n";

        var refused = await CrawlAsync("--topic", "5");

        Assert.Equal(3, refused.ExitCode);
        Assert.Single(refused.Error.Trim().Split('\n'), line => line.Contains("robots.txt does not allow /t/5.json"));
        Assert.Contains("1 disallowed by robots.txt", refused.Out);
        Assert.Equal(["/robots.txt"], _site.Log);
        using (var store = ForumStore.Open(_folder.File("forumprefs.db")))
            Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM posts"));

        var allowed = await CrawlAsync("--topic", "5", "--ignore-robots");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Single(_site.Log, l => l == "/robots.txt"); // --ignore-robots does not even ask
        using (var store = ForumStore.Open(_folder.File("forumprefs.db")))
            Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM posts"));
    }

    [SkippableFact]
    public async Task A_longer_crawl_delay_in_robots_txt_paces_the_crawl()
    {
        _site.RobotsTxt = "User-agent: *\nCrawl-delay: 10\nDisallow: /admin/\n";

        var result = await CrawlAsync("--topic", "5", "--interval", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["/robots.txt", "/t/5.json"], _site.Log.Take(2));
        // The topic came the delay after robots.txt, its remaining posts the delay after the topic.
        Assert.True(_time.Waited >= TimeSpan.FromSeconds(20), $"waited {_time.Waited}");
    }

    [SkippableFact]
    public async Task A_second_crawl_resumes_and_a_refresh_records_new_likes()
    {
        await CrawlAsync("--limit", "10");
        var again = await CrawlAsync("--limit", "10");
        _site.MoreLikes = 3;
        _time.Advance(TimeSpan.FromDays(2));
        var refreshed = await CrawlAsync("--limit", "10", "--refresh");

        Assert.Contains("crawled to the end already", again.Error);
        Assert.Contains("stored 3 topics", refreshed.Out);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(8, Sql.Scalar(store, "SELECT score FROM comments WHERE post_id = '5' AND id = '86'"));
        Assert.Equal(5, Sql.Scalar(store, "SELECT first_score FROM comments WHERE post_id = '5' AND id = '86'"));
        Assert.True(Sql.Scalar(store, "SELECT count(*) FROM score_snapshots") >= 6, "each refreshed comment's new sighting is kept");
        Assert.Equal(6, Sql.Scalar(store, "SELECT count(*) FROM comments"));
    }

    [SkippableFact]
    public async Task An_API_key_is_sent_and_never_written_anywhere()
    {
        const string secret = "discourse-key-never-logged-7f3a";
        Environment.SetEnvironmentVariable("DISCOURSE_API_KEY", secret);
        Environment.SetEnvironmentVariable("DISCOURSE_API_USERNAME", "forumprefs-bot");
        try
        {
            var result = await CrawlAsync("--topic", "4");

            Assert.Equal(0, result.ExitCode);
            Assert.Contains(secret, _site.ApiKeysSeen);
            Assert.DoesNotContain(secret, result.Out + result.Error);
            foreach (var file in Directory.GetFiles(_folder.Path, "forumprefs.db*"))
                Assert.DoesNotContain(secret, Encoding.UTF8.GetString(File.ReadAllBytes(file)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DISCOURSE_API_KEY", null);
            Environment.SetEnvironmentVariable("DISCOURSE_API_USERNAME", null);
        }
    }

    [SkippableFact]
    public async Task Bad_sites_and_options_fail_in_one_line()
    {
        var notUrl = await CrawlAsync("--limit", "0");
        var badSite = await RunAsync("crawl", "discourse", "--site", "ftp://example.org");
        _site.Inject(404, "/t/");
        var missing = await CrawlAsync("--topic", "999");

        Assert.Equal(2, notUrl.ExitCode);
        Assert.Equal(2, badSite.ExitCode);
        Assert.Contains("--site must be an http(s) URL", badSite.Error);
        // A topic that is gone is a counted skip (exit 3), said in one line; the crawl itself does not fail.
        Assert.Equal(3, missing.ExitCode);
        Assert.Single(missing.Error.Trim().Split('\n'), line => line.Contains("answered 404"));
        Assert.Contains("could not fetch 1 topics: 1 gone", missing.Out);
    }

    [SkippableFact]
    public async Task The_discourse_policy_pairs_answers_by_likes_and_nested_replies_on_request()
    {
        _site.Likes[14] = 9;
        _site.ReplyTo[14] = 3; // post 14 now answers post 3: a reply, not an answer to the question
        await CrawlAsync("--limit", "10");

        var pairs = await RunAsync("pairs", "--min-score-age", "0", "--format", "json");
        var all = await RunAsync("pairs", "--min-score-age", "0", "--all-replies-are-answers", "--format", "json");

        var run = JsonDocument.Parse(pairs.Out).RootElement[0];
        Assert.Equal("discourse", run.GetProperty("policy").GetString());
        Assert.Equal(0, run.GetProperty("pairs").GetInt64());
        Assert.Contains("not a top-level comment", pairs.Out);
        // Every later post an answer: post 14 (9 likes, later) over post 3 (5 likes), in each of the 3 topics.
        Assert.Equal(3, JsonDocument.Parse(all.Out).RootElement[0].GetProperty("pairs").GetInt64());
        using (var store = ForumStore.Open(_folder.File("forumprefs.db")))
            Assert.Equal(3, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE depth = 1"));

        // Exported with attribution, every item points to the site's terms (Discourse serves them at /tos).
        Assert.Equal(0, (await RunAsync("export", "--out", "out", "--attribution")).ExitCode);
        var terms = $"the forum''s own terms ({new Uri(_site.Url).GetLeftPart(UriPartial.Authority)}/tos)";
        var rows = Directory.GetFiles(_folder.File("out"), "*.parquet", SearchOption.AllDirectories)
            .Sum(f => Duck.Scalar($"SELECT count(*) FROM '{Duck.Path(f)}' WHERE question_license = '{terms}' AND license_A = '{terms}' AND license_B = '{terms}'"));
        Assert.Equal(3, rows);
        Assert.Contains("**Other forums** set their own terms", File.ReadAllText(_folder.File("out/README.md")));
    }

    [SkippableFact]
    public async Task The_accepted_answer_counts_one_like_more()
    {
        (_site.Likes[3], _site.Likes[14]) = (4, 4);
        await CrawlAsync("--limit", "10", "--db", "plain.db");
        _site.AcceptedPostNumber = 14;
        await CrawlAsync("--limit", "10", "--db", "solved.db");

        var plain = await RunAsync("pairs", "--db", "plain.db", "--min-score-age", "0", "--format", "json");
        var solved = await RunAsync("pairs", "--db", "solved.db", "--min-score-age", "0", "--format", "json");

        // Equal likes: no pair; the later answer accepted: it is preferred, in each topic.
        Assert.Equal(0, JsonDocument.Parse(plain.Out).RootElement[0].GetProperty("pairs").GetInt64());
        Assert.Contains("equal scores", plain.Out);
        Assert.Equal(3, JsonDocument.Parse(solved.Out).RootElement[0].GetProperty("pairs").GetInt64());
        using var store = ForumStore.Open(_folder.File("solved.db"));
        Assert.Equal(3, Sql.Scalar(store, "SELECT count(*) FROM posts WHERE accepted_answer_id = '226'"));
        Assert.Equal(3, Sql.Scalar(store, "SELECT count(*) FROM comments WHERE json_extract(meta, '$.accepted') = 1"));
    }

    [Fact]
    public void Likes_come_from_like_count_where_present_else_the_like_action()
    {
        int Likes(string json) => ForumPrefs.Sources.Discourse.DiscourseTopic.Likes(JsonDocument.Parse(json).RootElement);

        Assert.Equal(12, Likes("""{"like_count": 12, "actions_summary": [{"id": 2, "count": 3}]}"""));
        Assert.Equal(3, Likes("""{"actions_summary": [{"id": 3, "count": 9}, {"id": 2, "count": 3}]}"""));
        Assert.Equal(0, Likes("""{"actions_summary": [{"id": 6, "count": 1}]}"""));
        Assert.Equal(0, Likes("""{"like_count": -4}"""));
    }

    [SkippableFact]
    public async Task Run_crawls_a_Discourse_forum_end_to_end()
    {
        var result = await RunAsync("run", "--discourse", _site.Url, "--posts", "10", "--min-score-age", "0", "--skip-train");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("discourse", result.Out);
        var card = File.ReadAllText(_folder.File($"datasets/{new Uri(_site.Url).Host}/README.md"));
        Assert.Contains("| discourse |", card);
    }

    [SkippableFact]
    public async Task Run_keeps_to_robots_txt_unless_told_it_is_your_site()
    {
        _site.RobotsTxt = "User-agent: *\nDisallow: /t/\n";

        var refused = await RunAsync("run", "--discourse", _site.Url, "--posts", "10", "--min-score-age", "0", "--skip-train");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("robots.txt does not allow", refused.Error);

        var allowed = await RunAsync("run", "--discourse", _site.Url, "--posts", "10", "--min-score-age", "0", "--skip-train", "--ignore-robots");
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.True(Sql.Scalar(store, "SELECT count(*) FROM posts") > 0);
    }
}
