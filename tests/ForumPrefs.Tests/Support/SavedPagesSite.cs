using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;

namespace ForumPrefs.Tests.Support;

/// <summary>
/// A forum on 127.0.0.1 serving two saved Stack Overflow pages (../shared/fixtures/stackexchange_html) under
/// /questions/{n} (their own ids, or any other number: as many pages as a crawl asks for), with an ETag; and what goes
/// wrong on real sites: /broken/{n} always answers 500, /redir redirects into /private/1, which robots.txt forbids.
/// </summary>
public sealed class SavedPagesSite : IAsyncDisposable
{
    private const string Pages = "stackexchange_html/gleitz_howdoi";
    private readonly WebApplication _app;

    private SavedPagesSite(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();
    /// <summary>Real time each answer takes (to catch a crawl mid-run).</summary>
    public TimeSpan ResponseDelay { get; set; }
    /// <summary>"GET path status" for every page asked for.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public static async Task<SavedPagesSite> StartAsync()
    {
        string[] pages =
        [
            Fixtures.File($"{Pages}/httpsstackoverflowcomquestions6367014howtosendemailviadjangoanswertabvotes.html"),
            Fixtures.File($"{Pages}/httpsstackoverflowcomquestions1732438howdoirunallpythonunittestsinadirectoryanswertabvotes.html"),
        ];
        var builder = LoopbackServer.Builder();
        var app = builder.Build();
        var site = new SavedPagesSite(app);
        app.MapGet("/robots.txt", () => "User-agent: *\nDisallow: /private/\n");
        app.MapGet("/broken/{n:int}", (HttpContext c, int n) =>
        {
            site.Log.Enqueue($"GET /broken/{n} 500");
            c.Response.StatusCode = 500;
        });
        app.MapGet("/redir", (HttpContext c) =>
        {
            site.Log.Enqueue("GET /redir 302");
            c.Response.Redirect("/private/1");
        });
        app.MapGet("/{kind}/{n:int}", async (HttpContext c, string kind, int n) =>
        {
            if (site.ResponseDelay > TimeSpan.Zero)
                await Task.Delay(site.ResponseDelay);
            var etag = $"\"v{n}\"";
            if (c.Request.Headers.IfNoneMatch == etag)
            {
                site.Log.Enqueue($"GET /{kind}/{n} 304");
                c.Response.StatusCode = 304;
                return;
            }
            site.Log.Enqueue($"GET /{kind}/{n} 200");
            c.Response.Headers.ETag = etag;
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.SendFileAsync(pages[n == 1732438 ? 1 : n == 6367014 ? 0 : n % 2]); // the two saved ids get their own pages
        });
        await app.StartAsync();
        return site;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
