using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ForumPrefs.Tests.Support;

/// <summary>
/// A forum on 127.0.0.1 serving two saved Stack Overflow pages (../shared/fixtures/stackexchange_html) under any
/// number of /questions/{n} paths, with an ETag, as many pages as a crawl asks for.
/// </summary>
public sealed class SavedPagesSite : IAsyncDisposable
{
    private const string Pages = "stackexchange_html/gleitz_howdoi";
    private readonly WebApplication _app;

    private SavedPagesSite(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();
    /// <summary>Real time each answer takes (to catch a crawl mid-run).</summary>
    public TimeSpan ResponseDelay { get; set; }

    public static async Task<SavedPagesSite> StartAsync()
    {
        string[] pages =
        [
            Fixtures.File($"{Pages}/httpsstackoverflowcomquestions1732438howdoirunallpythonunittestsinadirectoryanswertabvotes.html"),
            Fixtures.File($"{Pages}/httpsstackoverflowcomquestions6367014howtosendemailviadjangoanswertabvotes.html"),
        ];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var site = new SavedPagesSite(app);
        app.MapGet("/questions/{n:int}", async (HttpContext c, int n) =>
        {
            if (site.ResponseDelay > TimeSpan.Zero)
                await Task.Delay(site.ResponseDelay);
            var etag = $"\"v{n}\"";
            if (c.Request.Headers.IfNoneMatch == etag)
            {
                c.Response.StatusCode = 304;
                return;
            }
            c.Response.Headers.ETag = etag;
            c.Response.ContentType = "text/html; charset=utf-8";
            await c.Response.SendFileAsync(pages[n % 2]);
        });
        await app.StartAsync();
        return site;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
