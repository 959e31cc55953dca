using ForumPrefs.Core;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Sources;
using ForumPrefs.Sources.Discourse;
using ForumPrefs.Sources.Http;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Discourse;

/// <summary>
/// A Discourse forum, crawled through its JSON API: <c>crawl discourse</c> (its own verb) and <c>run --discourse URL</c>.
/// How a site is reached (checked options, the API key from the environment) is said once, here.
/// </summary>
public sealed class DiscourseSource : IngestSource<DiscourseSource.Settings>
{
    public const string DefaultUserAgent = "forumprefs/0.1 (preference-data research crawler)";
    public const double DefaultMaxResponseMb = 64;

    public sealed record Settings(DiscourseOptions Options, int? Limit);

    /// <summary>What a crawl did, with the client's request counts and the topics it could not fetch.</summary>
    public sealed record Crawl(DiscourseCrawl.Summary Result, long Requests, long Retries, IReadOnlyDictionary<string, long> Failed, long LeftFailed);

    public override string Name => "discourse";
    public override string Description => "A Discourse forum through its JSON API (crawl discourse)";
    public override IReadOnlyDictionary<string, string> DefaultPolicies => new Dictionary<string, string> { [SourceNames.Discourse] = "discourse" };
    public override string Inputs => "The forum's address";
    public override IReadOnlyList<string> Formats => ["URL"];
    public override bool IngestVerb => false;
    public override string? RunOption => "discourse";
    public override string ProgressUnit => "topics";
    public override IReadOnlyList<SourceOption> Options =>
    [
        new("ignore-robots", "With --discourse: read paths the site's robots.txt does not allow, and ignore its Crawl-delay (only for a site you run)", SourceOptionKind.Flag),
        new("posts", "Topics to crawl (default: every listed topic)", SourceOptionKind.Number, HelpName: "N"),
    ];

    public override Settings Read(SourceArguments arguments) =>
        new(SiteOptions(arguments.Required("discourse"), ignoreRobots: arguments.Flag("ignore-robots")),
            arguments.Text("posts") is null ? null : Math.Max(1, arguments.Number("posts", 1)));

    public override string DatasetName(IReadOnlyList<string> inputs, Settings settings) => settings.Options.Site.Host;

    public override async Task<SourceRun> IngestAsync(ForumStore store, IReadOnlyList<string> inputs, Settings settings, SourceContext context,
        CancellationToken cancellationToken)
    {
        var crawl = await CrawlAsync(store, settings.Options, [], null, settings.Limit, false, context, cancellationToken);
        var table = new QueryResult(["topics", "posts", "already_stored", "requests"],
            [[crawl.Result.Topics, crawl.Result.Posts, crawl.Result.AlreadyStored, crawl.Requests]]);
        return new SourceRun(table, [], crawl.Result.Skipped.Values.Sum() + crawl.Failed.Values.Sum());
    }

    /// <summary>A site's options, checked; the API key and user come from DISCOURSE_API_KEY and DISCOURSE_API_USERNAME.</summary>
    public static DiscourseOptions SiteOptions(string site, double interval = 1, double timeout = 30, string userAgent = DefaultUserAgent,
        bool ignoreRobots = false, double maxResponseMb = DefaultMaxResponseMb)
    {
        if (!Uri.TryCreate(site.TrimEnd('/') + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new SourceUsageException($"--site must be an http(s) URL, not '{site}'");
        if (interval < 0 || timeout <= 0)
            throw new SourceUsageException("--interval must be 0 or more and --timeout more than 0");
        var key = Environment.GetEnvironmentVariable("DISCOURSE_API_KEY");
        var user = Environment.GetEnvironmentVariable("DISCOURSE_API_USERNAME");
        if (!string.IsNullOrEmpty(key) && string.IsNullOrEmpty(user))
            throw new SourceUsageException("DISCOURSE_API_KEY is set without DISCOURSE_API_USERNAME (Discourse needs both)");
        return new DiscourseOptions
        {
            Site = url, UserAgent = userAgent, Interval = TimeSpan.FromSeconds(interval), RequestTimeout = TimeSpan.FromSeconds(timeout),
            ApiKey = string.IsNullOrEmpty(key) ? null : (key, user!), IgnoreRobots = ignoreRobots,
            MaxResponseBytes = (long)(maxResponseMb * 1024 * 1024),
        };
    }

    /// <summary>Topics by id, or else a listing (a category's or the latest), all of it or up to <paramref name="limit"/> topics.</summary>
    public static async Task<Crawl> CrawlAsync(ForumStore store, DiscourseOptions options, IReadOnlyList<long> topics, string? category,
        int? limit, bool refresh, SourceContext context, CancellationToken cancellationToken, bool skipFailed = false, Action<Func<string>>? detail = null)
    {
        using var http = CrawlerHttp.CreateClient(Timeout.InfiniteTimeSpan);
        var client = new DiscourseClient(http, options, context.Time) { Notice = context.Reporter.Notice };
        var job = new DiscourseCrawl(store, new DiscourseReader(client, context.Time), client, refresh, skipFailed);
        detail?.Invoke(job.Detail);
        if (topics.Count > 0)
            await job.TopicsAsync(topics, context.Reporter, cancellationToken);
        else
            await job.ListingAsync(category, limit, context.Reporter, cancellationToken);
        return new Crawl(job.Result, client.Requests, client.Retries, job.Failures?.ByReason ?? [], job.LeftFailed);
    }
}
