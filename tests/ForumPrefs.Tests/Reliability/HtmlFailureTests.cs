using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using System.Collections.Concurrent;

namespace ForumPrefs.Tests.Reliability;

/// <summary>
/// crawl html against saved Stack Overflow pages served from 127.0.0.1, where one URL always fails, a redirect leads
/// into what robots.txt forbids, and the page cache was cut by a kill.
/// </summary>
public sealed class HtmlFailureTests : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FastForwardTime _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private SavedPagesSite? _site;

    public async ValueTask DisposeAsync()
    {
        if (_site is not null)
            await _site.DisposeAsync();
        _folder.Dispose();
    }

    private ConcurrentQueue<string> Log => _site!.Log;

    private async Task<string> StartAsync()
    {
        _site = await SavedPagesSite.StartAsync();
        return _site.Url;
    }

    private async Task<Support.Cli.Outcome> CrawlAsync(string db, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(["crawl", "html", .. args, "--profile", "stackexchange", "--interval", "0",
            "--cache", "cache", "--db", db], new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), default, _time);
        return new Support.Cli.Outcome(code, output.ToString(), error.ToString());
    }

    private long Comments(string db)
    {
        using var store = ForumStore.Open(_folder.File(db));
        return Sql.Scalar(store, "SELECT count(*) FROM comments");
    }

    [SkippableFact]
    public async Task A_url_that_always_fails_is_counted_and_the_next_url_is_still_crawled()
    {
        var url = await StartAsync();

        var result = await CrawlAsync("a.db", $"{url}/questions/1732438", $"{url}/broken/2", $"{url}/questions/6367014");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("server error after retries", result.Error);
        Assert.Contains("GET /questions/6367014 200", Log);
        using (var store = ForumStore.Open(_folder.File("a.db")))
            Assert.Equal(2, Sql.Scalar(store, "SELECT count(*) FROM posts"));

        // A rerun asks for the broken page again (and only it); --skip-failed leaves it and says so.
        var tries = Log.Count(l => l.StartsWith("GET /broken/2", StringComparison.Ordinal));
        await CrawlAsync("a.db", $"{url}/questions/1732438", $"{url}/broken/2", $"{url}/questions/6367014");
        Assert.Equal(2 * tries, Log.Count(l => l.StartsWith("GET /broken/2", StringComparison.Ordinal)));
        var skipping = await CrawlAsync("a.db", $"{url}/broken/2", "--skip-failed");
        Assert.Equal(0, skipping.ExitCode);
        Assert.Contains("1 pages earlier runs could not fetch were left (--skip-failed)", skipping.Out);
        Assert.Equal(2 * tries, Log.Count(l => l.StartsWith("GET /broken/2", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task A_redirect_into_a_path_robots_txt_forbids_is_refused()
    {
        var url = await StartAsync();

        var result = await CrawlAsync("r.db", $"{url}/redir");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("robots.txt", result.Error);
        Assert.DoesNotContain("GET /private/1 200", Log);
        using var store = ForumStore.Open(_folder.File("r.db"));
        Assert.Equal(0, Sql.Scalar(store, "SELECT count(*) FROM posts"));
    }

    [SkippableTheory]
    [InlineData(".html")]
    [InlineData(".json")]
    public async Task A_cache_entry_cut_by_a_kill_is_fetched_whole_again(string cut)
    {
        var url = await StartAsync();
        string[] pages = [$"{url}/questions/1732438", $"{url}/questions/6367014"];
        Assert.Equal(0, (await CrawlAsync("clean.db", pages)).ExitCode);
        foreach (var file in Directory.GetFiles(_folder.File("cache"), "*" + cut))
        {
            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes[..(bytes.Length / 3)]);
        }

        var again = await CrawlAsync("again.db", pages);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("2 cache entries were cut or damaged", again.Out);
        Assert.Equal(Comments("clean.db"), Comments("again.db"));
        Assert.Equal(4, Log.Count(l => l.EndsWith(" 200", StringComparison.Ordinal) && l.StartsWith("GET /questions/", StringComparison.Ordinal)));
        // The entries are whole again: a third run is answered 304 from the cache.
        var third = await CrawlAsync("third.db", pages);
        Assert.Contains("2 pages unchanged", third.Out);
        Assert.Equal(Comments("clean.db"), Comments("third.db"));
    }
}
