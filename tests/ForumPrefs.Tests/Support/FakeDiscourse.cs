using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForumPrefs.Tests.Support;

/// <summary>
/// A Discourse on 127.0.0.1 that replays recorded responses: the listing pages of discourse_api's fixtures
/// (Samples/discourse: /latest.json page 0, then its category listing as the last page) and the recorded /t/57.json
/// (../shared/fixtures/discourse) for every topic asked, with the asked id. Like Discourse with long topics, the first
/// page of a topic carries only <see cref="FirstPagePosts"/> posts and the rest are served by
/// /t/{id}/posts.json?post_ids[]=... Faults (429 with Retry-After, 5xx) hit the next matching request. /robots.txt is
/// <see cref="RobotsTxt"/>, or 404.
/// </summary>
public sealed class FakeDiscourse : IAsyncDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples", "discourse");
    private readonly WebApplication _app;
    private readonly JsonNode _topic;
    private readonly ConcurrentQueue<(int Status, string PathContains)> _faults = new();

    public FakeDiscourse()
    {
        _topic = JsonNode.Parse(File.ReadAllText(Fixtures.File("discourse/discourse_discourse_api/topic.json")))!;
        var builder = LoopbackServer.Builder();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Log.Enqueue(context.Request.Path + context.Request.QueryString);
            if (context.Request.Headers.TryGetValue("Api-Key", out var key))
                ApiKeysSeen.Enqueue(key.ToString());
            if (ResponseDelay > TimeSpan.Zero)
                await Task.Delay(ResponseDelay);
            if (Statuses.TryGetValue(context.Request.Path.Value!, out var status))
            {
                context.Response.StatusCode = status;
                return;
            }
            if (Bodies.TryGetValue(context.Request.Path.Value!, out var body))
            {
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(body());
                return;
            }
            if (Redirects.TryGetValue(context.Request.Path.Value!, out var location))
            {
                context.Response.StatusCode = 301;
                context.Response.Headers.Location = location;
                return;
            }
            foreach (var fault in _faults)
            {
                if (!context.Request.Path.Value!.Contains(fault.PathContains) || !_faults.TryDequeue(out var hit))
                    continue;
                context.Response.StatusCode = hit.Status;
                if (hit.Status == 429)
                    context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
                return;
            }
            await next();
        });
        _app.MapGet("/robots.txt", () => RobotsTxt is { } text ? Results.Text(text) : Results.NotFound());
        _app.MapGet("/latest.json", (HttpContext c) => Listing(c, c.Request.Query["page"] == "0" || RepeatListing ? "latest.json" : "category_latest_topics.json"));
        _app.MapGet("/private/{id}", () => Results.Text("a page robots.txt keeps private"));
        _app.MapGet("/c/{category}.json", (HttpContext c) => Listing(c, "category_latest_topics.json"));
        _app.MapGet("/t/{id}.json", Topic);
        _app.MapGet("/t/{id}/posts.json", Posts);
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Urls.First();
    }

    public string Url { get; }
    public int FirstPagePosts { get; set; } = 2;
    public int RetryAfterSeconds { get; set; } = 7;
    /// <summary>Real time each answer takes (to catch a crawl mid-run).</summary>
    public TimeSpan ResponseDelay { get; set; }
    /// <summary>Added to every post's like count (a later read of the site: new likes).</summary>
    public int MoreLikes { get; set; }
    /// <summary>Post number → the post number it replies to, overriding the recording.</summary>
    public Dictionary<int, int> ReplyTo { get; } = [];
    /// <summary>Post number → its like count, overriding the recording.</summary>
    public Dictionary<int, int> Likes { get; } = [];
    /// <summary>The post the Solved plugin marks accepted (topic accepted_answer and the post's accepted_answer flag).</summary>
    public int? AcceptedPostNumber { get; set; }
    public ConcurrentQueue<string> Log { get; } = new();
    /// <summary>Served at /robots.txt; none (404) while null, as on a site without one.</summary>
    public string? RobotsTxt { get; set; }
    public ConcurrentQueue<string> ApiKeysSeen { get; } = new();
    /// <summary>Paths answered with this status every time.</summary>
    public ConcurrentDictionary<string, int> Statuses { get; } = new();
    /// <summary>Paths answered with these bodies instead (a huge topic).</summary>
    public ConcurrentDictionary<string, Func<byte[]>> Bodies { get; } = new();
    /// <summary>Paths answered with a 301 to this location.</summary>
    public ConcurrentDictionary<string, string> Redirects { get; } = new();
    /// <summary>Every listing page is the first one again, more_topics_url and all (a listing that never ends).</summary>
    public bool RepeatListing { get; set; }

    public void Inject(int status, string pathContains) => _faults.Enqueue((status, pathContains));

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static Task Listing(HttpContext context, string file)
    {
        context.Response.ContentType = "application/json";
        return context.Response.SendFileAsync(Path.Combine(Samples, file));
    }

    private JsonArray AllPosts()
    {
        var posts = _topic["post_stream"]!["posts"]!.DeepClone().AsArray();
        foreach (var post in posts)
        {
            var number = (int)post!["post_number"]!;
            foreach (var action in post["actions_summary"]!.AsArray())
                if ((int)action!["id"]! == 2)
                    action["count"] = (Likes.TryGetValue(number, out var likes) ? likes : (int)action["count"]!) + MoreLikes;
            if (ReplyTo.TryGetValue(number, out var replyTo))
                post["reply_to_post_number"] = replyTo;
            post["accepted_answer"] = number == AcceptedPostNumber;
        }
        return posts;
    }

    private Task Topic(HttpContext context, long id)
    {
        var topic = _topic.DeepClone();
        topic["id"] = id;
        if (AcceptedPostNumber is { } accepted)
            topic["accepted_answer"] = new JsonObject { ["post_number"] = accepted, ["username"] = "someone" };
        var posts = AllPosts();
        while (posts.Count > FirstPagePosts)
            posts.RemoveAt(posts.Count - 1);
        topic["post_stream"]!["posts"] = posts;
        return context.Response.WriteAsJsonAsync(topic);
    }

    private Task Posts(HttpContext context, long id)
    {
        var asked = context.Request.Query["post_ids[]"].Select(v => long.Parse(v!)).ToHashSet();
        var posts = new JsonArray(AllPosts().Where(p => asked.Contains((long)p!["id"]!)).Select(p => p!.DeepClone()).ToArray());
        return context.Response.WriteAsJsonAsync(new JsonObject { ["post_stream"] = new JsonObject { ["posts"] = posts }, ["id"] = id });
    }
}
