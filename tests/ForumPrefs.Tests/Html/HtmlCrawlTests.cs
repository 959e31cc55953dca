using ForumPrefs.Store;
using ForumPrefs.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;

namespace ForumPrefs.Tests.Html;

/// <summary>Crawling saved Stack Overflow pages from a server on 127.0.0.1: robots.txt, pacing and the cache.</summary>
public sealed class HtmlCrawlTests : IAsyncDisposable
{
    private const string Pages = "stackexchange_html/gleitz_howdoi";
    private readonly TempFolder _folder = new();
    private readonly FastForwardTime _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<string> _log = new();
    private WebApplication? _server;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _slowRequests = new();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        _folder.Dispose();
    }

    private async Task<string> StartAsync()
    {
        var pages = new Dictionary<string, string>
        {
            ["/questions/1732438"] = Fixtures.File($"{Pages}/httpsstackoverflowcomquestions1732438howdoirunallpythonunittestsinadirectoryanswertabvotes.html"),
            ["/questions/6367014"] = Fixtures.File($"{Pages}/httpsstackoverflowcomquestions6367014howtosendemailviadjangoanswertabvotes.html"),
            ["/private/6367014"] = Fixtures.File($"{Pages}/httpsstackoverflowcomquestions6367014howtosendemailviadjangoanswertabvotes.html"),
        };
        var builder = LoopbackServer.Builder();
        _server = builder.Build();
        _server.MapGet("/robots.txt", (HttpContext c) =>
        {
            _log.Enqueue("GET /robots.txt 200");
            return "User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n";
        });
        // A page that never ends: a real page followed by endless padding, sent chunked (no Content-Length).
        _server.MapGet("/huge/{id}", async (HttpContext c, string id) =>
        {
            _log.Enqueue($"GET /huge/{id} 200");
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.SendFileAsync(pages["/questions/1732438"]);
            var padding = System.Text.Encoding.UTF8.GetBytes("<!-- " + new string('x', 64 * 1024) + " -->");
            for (var i = 0; i < 4_000 && !c.RequestAborted.IsCancellationRequested; i++) // at most ~256 MB
                await c.Response.Body.WriteAsync(padding, c.RequestAborted);
        });
        // The first request for each page hangs past the client's timeout; later ones are served.
        _server.MapGet("/slow/{id}", async (HttpContext c, string id) =>
        {
            _log.Enqueue($"GET /slow/{id}");
            if (_slowRequests.AddOrUpdate(id, 1, (_, n) => n + 1) == 1)
                await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.SendFileAsync(pages["/questions/1732438"]);
        });
        _server.MapGet("/{kind}/{id}", async (HttpContext c, string kind, string id) =>
        {
            var path = $"/{kind}/{id}";
            const string etag = "\"v1\"";
            if (c.Request.Headers.IfNoneMatch == etag)
            {
                _log.Enqueue($"GET {path} 304");
                c.Response.StatusCode = 304;
                return;
            }
            _log.Enqueue($"GET {path} 200");
            c.Response.Headers.ETag = etag;
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.SendFileAsync(pages[path]);
        });
        await _server.StartAsync();
        return _server.Urls.First();
    }

    private async Task<Support.Cli.Outcome> CrawlAsync(string baseUrl, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["crawl", "html", $"{baseUrl}/questions/1732438", $"{baseUrl}/questions/6367014", $"{baseUrl}/private/6367014",
            "--profile", "stackexchange", "--interval", "1", "--cache", "cache", .. extra];
        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(args, new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), default, _time);
        return new Support.Cli.Outcome(code, output.ToString(), error.ToString());
    }

    [SkippableFact]
    public async Task Robots_txt_pacing_and_the_cache_are_honoured()
    {
        var url = await StartAsync();

        var first = await CrawlAsync(url);

        Assert.Equal(3, first.ExitCode); // done, one page not fetched
        Assert.Contains("disallowed by robots.txt", first.Error);
        Assert.DoesNotContain(_log, l => l.Contains("/private/"));
        Assert.Equal(["GET /robots.txt 200", "GET /questions/1732438 200", "GET /questions/6367014 200"], _log);
        // robots.txt, then two pages 3 s apart each (its Crawl-delay beats --interval 1).
        Assert.True(_time.Waited >= TimeSpan.FromSeconds(6), $"waited only {_time.Waited}");
        using (var store = ForumStore.Open(_folder.File("forumprefs.db")))
            Assert.Equal(2, Sql.Scalar(store, "SELECT count(*) FROM posts"));

        while (_log.TryDequeue(out _)) { }
        var again = await CrawlAsync(url);
        Assert.DoesNotContain(_log, l => l.Contains("/questions/")); // stored pages are not fetched again

        var refreshed = await CrawlAsync(url, "--refresh");
        Assert.Equal(["GET /questions/1732438 304", "GET /questions/6367014 304"], _log.Where(l => l.Contains("/questions/")));
        Assert.Contains("2 pages unchanged (served from the cache)", refreshed.Out);
        using var after = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(2, Sql.Scalar(after, "SELECT count(*) FROM posts"));
        Assert.Equal(0, Sql.Scalar(after, "SELECT count(*) FROM (SELECT id FROM comments GROUP BY forum_id, post_id, id HAVING count(*) > 1)"));
    }

    [SkippableFact]
    public async Task A_page_that_times_out_is_fetched_again_not_taken_for_an_interruption()
    {
        var url = await StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var fetcher = new ForumPrefs.Sources.Html.PoliteFetcher(http, "forumprefs-tests", TimeSpan.Zero, ignoreRobots: true, _folder.File("slow-cache"), _time);

        var page = await fetcher.GetAsync(new Uri($"{url}/slow/1"));

        Assert.Null(page.Refused);
        Assert.Contains("unittest", page.Html);
        Assert.Equal(2, fetcher.Requests);

        // The same from the command line, whose --timeout sets the client's.
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(["crawl", "html", $"{url}/slow/2", "--profile", "stackexchange",
            "--interval", "0", "--ignore-robots", "--cache", "cli-cache", "--timeout", "1"], new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), default, _time);
        Assert.True(code == 0, error.ToString());
        Assert.Equal(4, _log.Count(l => l.StartsWith("GET /slow/", StringComparison.Ordinal)));
        var invalid = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(["crawl", "html", $"{url}/slow/3", "--profile", "stackexchange", "--timeout", "0"],
            new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), default, _time);
        Assert.Equal(2, invalid);
    }

    [SkippableFact]
    public async Task Ignore_robots_fetches_what_robots_txt_forbids()
    {
        var url = await StartAsync();

        var result = await CrawlAsync(url, "--ignore-robots");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(_log, l => l == "GET /private/6367014 200");
        Assert.DoesNotContain(_log, l => l.Contains("robots.txt"));
    }

    [SkippableFact]
    public async Task A_page_past_the_size_limit_is_skipped_counted_and_never_cached()
    {
        var url = await StartAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await ForumPrefs.Cli.ForumPrefsApp.RunAsync(["crawl", "html", $"{url}/huge/1", $"{url}/questions/6367014", "--profile", "stackexchange",
            "--interval", "0", "--cache", "cache", "--max-page-mb", "2"], new ForumPrefs.Cli.CliIO(output, error, false, _folder.Path), default, _time);

        Assert.Equal(3, code);
        Assert.Contains("page larger than 2 MB (--max-page-mb)", error.ToString());
        Assert.Contains("1 pages not fetched", output.ToString());
        Assert.All(Directory.GetFiles(_folder.File("cache")), f => Assert.True(new FileInfo(f).Length < 2 * 1024 * 1024));
        using var store = ForumStore.Open(_folder.File("forumprefs.db"));
        Assert.Equal(1, Sql.Scalar(store, "SELECT count(*) FROM posts"));
    }
}
