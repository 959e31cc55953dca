using ForumPrefs.Store;
using ForumPrefs.Tests.Support;

namespace ForumPrefs.Tests.Reliability;

/// <summary>Discourse crawls where topics fail, redirects lead away, listings loop and robots.txt holds odd numbers.</summary>
public sealed class DiscourseFailureTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FastForwardTime _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private FakeDiscourse? _fake;

    private FakeDiscourse Site => _fake ??= new FakeDiscourse();

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
            await _fake.DisposeAsync();
        Environment.SetEnvironmentVariable("DISCOURSE_API_KEY", null);
        Environment.SetEnvironmentVariable("DISCOURSE_API_USERNAME", null);
        _folder.Dispose();
    }

    private async Task<Support.Cli.Outcome> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // A crawl that never ends (a listing looping on itself) is stopped and fails its test instead of hanging it.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(args, new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), guard.Token, _time);
        return new Support.Cli.Outcome(code, output.ToString(), error.ToString());
    }

    private Task<Support.Cli.Outcome> CrawlAsync(params string[] more) => RunAsync(["crawl", "discourse", "--site", Site.Url, .. more]);

    private long Topics()
    {
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        return Sql.Scalar(store, "SELECT count(*) FROM posts");
    }

    [SkippableFact]
    public async Task A_topic_that_is_gone_is_counted_the_rest_are_stored_and_a_rerun_tries_it_again()
    {
        Site.Statuses["/t/5.json"] = 404;

        var first = await CrawlAsync();

        Assert.Equal(3, first.ExitCode);
        Assert.Contains("could not fetch 1 topics: 1 gone", first.Out);
        Assert.Equal(2, Topics()); // topics 1 and 4 of the listing's 1, 5, 4

        var skipping = await CrawlAsync("--skip-failed");
        Assert.Equal(0, skipping.ExitCode);
        Assert.Single(Site.Log, l => l == "/t/5.json");

        Site.Statuses.Clear();
        var healed = await CrawlAsync();
        Assert.True(healed.ExitCode == 0, healed.Error);
        Assert.Equal(3, Topics());
    }

    [SkippableFact]
    public async Task The_api_key_never_reaches_another_host_a_redirect_leads_to()
    {
        await using var elsewhere = new FakeDiscourse();
        Environment.SetEnvironmentVariable("DISCOURSE_API_KEY", "k3y-never-elsewhere");
        Environment.SetEnvironmentVariable("DISCOURSE_API_USERNAME", "system");
        Site.Redirects["/latest.json"] = $"http://localhost:{new Uri(elsewhere.Url).Port}/latest.json";
        Site.Redirects["/t/5.json"] = $"http://localhost:{new Uri(elsewhere.Url).Port}/t/5.json";

        var listing = await CrawlAsync();
        var topic = await CrawlAsync("--topic", "5");

        Assert.Equal(1, listing.ExitCode);
        Assert.Contains("redirected to another host", listing.Error);
        Assert.Equal(3, topic.ExitCode);
        Assert.Empty(elsewhere.Log);
        Assert.Empty(elsewhere.ApiKeysSeen);
        Assert.Contains("k3y-never-elsewhere", Site.ApiKeysSeen); // it does go to the site itself
    }

    [SkippableFact]
    public async Task A_redirect_into_what_robots_txt_forbids_is_not_followed()
    {
        Site.RobotsTxt = "User-agent: *\nDisallow: /private/\n";
        Site.Redirects["/t/5.json"] = "/private/1";

        var result = await CrawlAsync("--topic", "5", "--topic", "4");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("1 disallowed by robots.txt", result.Out);
        Assert.DoesNotContain("/private/1", Site.Log);
        Assert.Equal(1, Topics());
    }

    [SkippableFact]
    public async Task A_topic_over_the_response_limit_is_a_counted_skip()
    {
        // The recorded topic with 3 MB of padding in a field the crawl does not read.
        var topic = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Fixtures.File("discourse/discourse_discourse_api/topic.json")))!;
        topic["padding"] = new string('x', 3 << 20);
        Site.Bodies["/t/5.json"] = () => System.Text.Encoding.UTF8.GetBytes(topic.ToJsonString());

        var result = await CrawlAsync("--topic", "5", "--topic", "4", "--max-response-mb", "1");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("1 too big", result.Out);
        Assert.Equal(1, Topics());
    }

    [SkippableFact]
    public async Task A_topic_without_its_first_post_is_a_counted_skip()
    {
        var topic = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Fixtures.File("discourse/discourse_discourse_api/topic.json")))!;
        topic["post_stream"]!["posts"] = new System.Text.Json.Nodes.JsonArray();
        topic["post_stream"]!["stream"] = new System.Text.Json.Nodes.JsonArray();
        Site.Bodies["/t/5.json"] = () => System.Text.Encoding.UTF8.GetBytes(topic.ToJsonString());

        var result = await CrawlAsync("--topic", "5", "--topic", "4");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("1 unreadable", result.Out);
        Assert.Equal(1, Topics());
    }

    [SkippableFact]
    public async Task A_listing_whose_next_page_is_itself_ends()
    {
        Site.RepeatListing = true;

        var result = await CrawlAsync();

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("gave 3 pages in a row of topics it already named (up to page 3)", result.Error);
        // Page 0, then three pages of nothing new; the topics page 0 named were each stored once.
        Assert.Equal(1 + ForumPrefs.Ingest.Discourse.DiscourseCrawl.MaxRepeatedPages, Site.Log.Count(l => l.StartsWith("/latest.json", StringComparison.Ordinal)));
        Assert.Equal(1, Topics());
    }

    [SkippableTheory]
    [InlineData("1e12")]
    [InlineData("NaN")]
    [InlineData("-3")]
    [InlineData("99999999999999999999999")]
    public async Task A_hostile_crawl_delay_never_crashes_and_its_wait_is_bounded(string delay)
    {
        Site.RobotsTxt = $"User-agent: *\nCrawl-delay: {delay}\n";

        var result = await CrawlAsync("--topic", "5");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(_time.Waited <= TimeSpan.FromMinutes(15 * 3), $"waited {_time.Waited}");
    }

    [SkippableTheory]
    [InlineData("--interval", "NaN")]
    [InlineData("--interval", "1e300")]
    [InlineData("--timeout", "NaN")]
    [InlineData("--timeout", "1e300")]
    [InlineData("--max-response-mb", "NaN")]
    public async Task Numbers_out_of_range_are_usage_errors_before_any_request(string option, string value)
    {
        var result = await CrawlAsync(option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option, result.Error);
        Assert.Empty(Site.Log);
    }
}
