using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Tests.Support;

/// <summary>
/// A Reddit on 127.0.0.1 that replays the recorded responses in ../shared/fixtures/reddit_api (the bodies listed in
/// the .bodies.index.json files), issues tokens, reports rate-limit headers, and injects faults on request.
/// The recorded listing is served in pages of at most <see cref="PageSize"/> posts, following its own after cursor.
/// /api/morechildren answers any set of ids the way Reddit does: the recorded comments under each asked id, at most
/// <see cref="MaxThingsPerAnswer"/> things a call, and new 'more' objects (one per parent) for the ids left over.
/// </summary>
public sealed class FakeReddit : IAsyncDisposable
{
    public const string ClientId = "test-client";
    public const string ClientSecret = "s3cret-never-logged";
    private const string Cassettes = "reddit_api/praw-dev_praw";

    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _gets = [];
    // Recorded morechildren things by the asked id they belong under, and each asked id's parent.
    private readonly Dictionary<string, List<JsonElement>> _thingsUnder = [];
    private readonly Dictionary<string, string> _parentOf = [];
    private readonly JsonElement _listing;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly HashSet<string> _validTokens = [];
    private int _tokens;
    private int _used;
    private DateTimeOffset _windowEnd;

    public enum FaultKind { ServerError, TooManyRequests, Hang, Truncate, ExpireToken }

    public sealed record Fault(FaultKind Kind, string PathContains = "");

    public FakeReddit(TimeProvider time)
    {
        Time = time;
        foreach (var index in new[] { "TestCommentForest.test_replace__all", "TestSubredditListings.test_top" })
        {
            foreach (var entry in JsonDocument.Parse(File.ReadAllText(Fixtures.File($"{Cassettes}/{index}.bodies.index.json"))).RootElement.EnumerateArray())
            {
                var uri = new Uri(entry.GetProperty("uri").GetString()!);
                var file = Fixtures.File($"{Cassettes}/{entry.GetProperty("file").GetString()}");
                if (entry.GetProperty("method").GetString() == "GET")
                    _gets[uri.AbsolutePath.TrimEnd('/')] = file;
                else
                {
                    var form = System.Web.HttpUtility.ParseQueryString(entry.GetProperty("req_body").GetString()!);
                    IndexMoreChildren(form["children"]!.Split(',').ToHashSet(), file);
                }
            }
        }
        _listing = JsonDocument.Parse(File.ReadAllText(_gets["/r/askreddit/top"])).RootElement.Clone();

        var builder = LoopbackServer.Builder();
        _app = builder.Build();
        _app.MapPost("/api/v1/access_token", Token);
        _app.MapPost("/elsewhere/access_token", async (HttpContext c) =>
        {
            CredentialsSentElsewhere.Enqueue(await new StreamReader(c.Request.Body).ReadToEndAsync() + " " + c.Request.Headers.Authorization);
            c.Response.StatusCode = 200;
        });
        _app.MapGet("/comments/{post}", (HttpContext c, string post) => Replay(c, $"/comments/{post}"));
        _app.MapGet("/comments/{post}/_/{comment}", (HttpContext c, string post, string comment) => Replay(c, $"/comments/{post}/_/{comment}"));
        _app.MapPost("/api/morechildren", MoreChildren);
        _app.MapGet("/r/{sub}/top", Listing);
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Urls.First();
    }

    public TimeProvider Time { get; }
    /// <summary>Paths answered with this status every time (after the token check): a post that is gone, private, or broken.</summary>
    public ConcurrentDictionary<string, int> Statuses { get; } = new();
    /// <summary>Paths answered with these bodies instead (a deep thread, a huge one).</summary>
    public ConcurrentDictionary<string, Func<byte[]>> Bodies { get; } = new();
    /// <summary>Paths answered with a redirect to this location.</summary>
    public ConcurrentDictionary<string, string> Redirects { get; } = new();
    /// <summary>Headers set on every answer after the rate-limit ones (to replace them with hostile values).</summary>
    public ConcurrentDictionary<string, string> HeaderOverrides { get; } = new();
    /// <summary>
    /// When set, /comments/{id} of a post in the recorded listing that has no recorded page answers with that post (its
    /// recorded JSON) and no comments, as Reddit does for a post nobody answered.
    /// </summary>
    public bool ServeListingPosts { get; set; }
    /// <summary>Called with every request's path before it is answered.</summary>
    public Action<string>? OnRequest { get; set; }
    public string Url { get; }
    public int PageSize { get; set; } = 100;
    /// <summary>Reddit answers about 20 things a morechildren call, however many ids were asked for.</summary>
    public int MaxThingsPerAnswer { get; set; } = 20;
    /// <summary>The id sets of every morechildren call, in order.</summary>
    public ConcurrentQueue<string[]> MoreChildrenAsks { get; } = new();
    public int Quota { get; set; } = 600;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan ResponseDelay { get; set; } = TimeSpan.Zero;
    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(4);
    public ConcurrentQueue<string> Log { get; } = new();
    /// <summary>The same requests with the client's User-Agent, to tell two clients apart (a killed one's last request can arrive late).</summary>
    public ConcurrentQueue<(string UserAgent, string Request)> AgentLog { get; } = new();
    /// <summary>Token requests that hang for <see cref="HangFor"/> before anything else happens (a slow token endpoint).</summary>
    public int TokenHangs { get; set; }
    public int TokenRequests => _tokenRequests;
    private int _tokenRequests;
    /// <summary>When set, the token endpoint answers with this redirect status to /elsewhere/access_token.</summary>
    public int? RedirectTokenWith { get; set; }
    /// <summary>What reached the redirect target (it must stay empty).</summary>
    public ConcurrentQueue<string> CredentialsSentElsewhere { get; } = new();

    /// <summary>Queues faults; each hits the next request whose path contains its text.</summary>
    public void Inject(params Fault[] faults)
    {
        foreach (var fault in faults)
            _faults.Enqueue(fault);
    }

    public IReadOnlyDictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["REDDIT_CLIENT_ID"] = ClientId,
        ["REDDIT_CLIENT_SECRET"] = ClientSecret,
        ["REDDIT_USER_AGENT"] = "linux:forumprefs-tests:1.0 (by /u/forumprefs_tests)",
    };

    private async Task Token(HttpContext context)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (TokenHangs > 0)
        {
            TokenHangs--;
            await Task.Delay(HangFor);
        }
        if (RedirectTokenWith is { } status)
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = "/elsewhere/access_token";
            return;
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        var form = await context.Request.ReadFormAsync();
        if (context.Request.Headers.Authorization != expected || form["grant_type"] != "client_credentials")
        {
            context.Response.StatusCode = 401;
            return;
        }
        var token = $"token-{Interlocked.Increment(ref _tokens)}";
        lock (_validTokens)
            _validTokens.Add(token);
        await context.Response.WriteAsJsonAsync(new { access_token = token, token_type = "bearer", expires_in = 3600, scope = "*" });
    }

    private async Task Replay(HttpContext context, string path)
    {
        if (!await Gate(context))
        {
            if (!context.Response.HasStarted && context.Response.StatusCode == 200)
                context.Response.StatusCode = 404;
            return;
        }
        if (Bodies.TryGetValue(path, out var body))
            await Send(context, body());
        else if (_gets.TryGetValue(path, out var file))
            await Send(context, File.ReadAllBytes(file));
        else if (ServeListingPosts && ListedPost(path) is { } post)
            await Send(context, JsonSerializer.SerializeToUtf8Bytes(new object[]
            {
                new { kind = "Listing", data = new { children = new[] { post } } },
                new { kind = "Listing", data = new { children = Array.Empty<object>() } },
            }));
        else if (!context.Response.HasStarted && context.Response.StatusCode == 200)
            context.Response.StatusCode = 404;
    }

    /// <summary>The listing's recorded t3 for /comments/{id}, if the listing has that post.</summary>
    private JsonElement? ListedPost(string path)
    {
        var id = path["/comments/".Length..];
        foreach (var child in _listing.GetProperty("data").GetProperty("children").EnumerateArray())
            if (child.GetProperty("data").GetProperty("id").GetString() == id)
                return child;
        return null;
    }

    /// <summary>The ids of the recorded listing's posts, in order.</summary>
    public IReadOnlyList<string> ListingIds() =>
        _listing.GetProperty("data").GetProperty("children").EnumerateArray().Select(c => c.GetProperty("data").GetProperty("id").GetString()!).ToList();

    private void IndexMoreChildren(HashSet<string> asked, string file)
    {
        var things = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("json").GetProperty("data").GetProperty("things");
        var parents = things.EnumerateArray().ToDictionary(t => t.GetProperty("data").GetProperty("id").GetString()!,
            t => t.GetProperty("data").GetProperty("parent_id").GetString()![3..]);
        foreach (var thing in things.EnumerateArray())
        {
            var root = thing.GetProperty("data").GetProperty("id").GetString()!;
            while (!asked.Contains(root) && parents.TryGetValue(root, out var up))
                root = up;
            if (!_thingsUnder.TryGetValue(root, out var list))
                _thingsUnder[root] = list = [];
            list.Add(thing.Clone());
            if (asked.Contains(thing.GetProperty("data").GetProperty("id").GetString()!))
                _parentOf[root] = thing.GetProperty("data").GetProperty("parent_id").GetString()!;
        }
    }

    private async Task MoreChildren(HttpContext context)
    {
        if (!await Gate(context))
            return;
        var asked = (await context.Request.ReadFormAsync())["children"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
        MoreChildrenAsks.Enqueue(asked);
        var things = new List<object>();
        var leftOver = new List<string>();
        foreach (var id in asked)
        {
            if (!_thingsUnder.TryGetValue(id, out var under))
                continue; // not a comment of this thread (or deleted since): Reddit leaves it out
            if (things.Count > 0 && things.Count + under.Count > MaxThingsPerAnswer)
                leftOver.Add(id);
            else
                things.AddRange(under.Cast<object>());
        }
        foreach (var group in leftOver.GroupBy(id => _parentOf[id]))
        {
            var children = group.ToArray();
            things.Add(new { kind = "more", data = new { count = children.Length, parent_id = group.Key, children, name = "t1_" + children[0], id = children[0] } });
        }
        await Send(context, JsonSerializer.SerializeToUtf8Bytes(new { json = new { errors = Array.Empty<object>(), data = new { things } } }));
    }

    private async Task Listing(HttpContext context)
    {
        if (!await Gate(context))
            return;
        var all = _listing.GetProperty("data").GetProperty("children").EnumerateArray().ToList();
        var after = context.Request.Query["after"].ToString();
        var start = after.Length == 0 ? 0 : all.FindIndex(c => "t3_" + c.GetProperty("data").GetProperty("id").GetString() == after) + 1;
        var limit = int.TryParse(context.Request.Query["limit"], out var l) ? l : 25;
        var page = start <= 0 && after.Length > 0 ? [] : all.Skip(start).Take(Math.Min(limit, PageSize)).ToList();
        var last = start + page.Count;
        // Within the recorded page the cursor is the last post served; the recording is the whole fake listing.
        var cursor = page.Count > 0 && last < all.Count ? "t3_" + page[^1].GetProperty("data").GetProperty("id").GetString() : null;
        var body = JsonSerializer.SerializeToUtf8Bytes(new { kind = "Listing", data = new { after = cursor, children = page } });
        await Send(context, body);
    }

    /// <summary>Checks the token, counts the request against the quota, applies a queued fault. False: already answered.</summary>
    private async Task<bool> Gate(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        Log.Enqueue($"{context.Request.Method} {path}{context.Request.QueryString}");
        AgentLog.Enqueue((context.Request.Headers.UserAgent.ToString(), $"{context.Request.Method} {path}"));
        if (ResponseDelay > TimeSpan.Zero)
            await Task.Delay(ResponseDelay);
        var auth = context.Request.Headers.Authorization.ToString();
        bool valid;
        lock (_validTokens)
            valid = auth.StartsWith("bearer ", StringComparison.Ordinal) && _validTokens.Contains(auth[7..]);
        if (!valid)
        {
            context.Response.StatusCode = 401;
            return false;
        }
        lock (_faults)
        {
            var now = Time.GetUtcNow();
            if (now >= _windowEnd)
            {
                _windowEnd = now + Window;
                _used = 0;
            }
            _used++;
            if (_used > Quota)
                throw new InvalidOperationException($"client exceeded the quota: request {_used} of {Quota} in one window");
            var reset = Math.Max(0, (int)Math.Ceiling((_windowEnd - now).TotalSeconds));
            context.Response.Headers["X-Ratelimit-Used"] = _used.ToString();
            context.Response.Headers["X-Ratelimit-Remaining"] = (Quota - _used).ToString();
            context.Response.Headers["X-Ratelimit-Reset"] = reset.ToString();
            foreach (var (name, value) in HeaderOverrides)
                context.Response.Headers[name] = value;
        }
        OnRequest?.Invoke(path);
        if (Statuses.TryGetValue(path, out var status))
        {
            context.Response.StatusCode = status;
            if (status == 429 && HeaderOverrides.TryGetValue("Retry-After", out var after))
                context.Response.Headers["Retry-After"] = after;
            return false;
        }
        if (Redirects.TryGetValue(path, out var location))
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = location;
            return false;
        }
        if (!_faults.TryPeek(out var fault) || !path.Contains(fault.PathContains) || !_faults.TryDequeue(out fault))
            return true;
        Log.Enqueue($"fault {fault.Kind}");
        switch (fault.Kind)
        {
            case FaultKind.ServerError:
                context.Response.StatusCode = 503;
                return false;
            case FaultKind.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers["Retry-After"] = "30";
                return false;
            case FaultKind.Hang:
                await Task.Delay(HangFor);
                return true;
            case FaultKind.Truncate:
                _truncateNext = true;
                return true;
            default:
                lock (_validTokens)
                    _validTokens.Remove(auth[7..]);
                context.Response.StatusCode = 401;
                return false;
        }
    }

    private volatile bool _truncateNext;

    private async Task Send(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json; charset=UTF-8";
        if (_truncateNext)
        {
            _truncateNext = false;
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2));
            return;
        }
        await context.Response.Body.WriteAsync(body);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
