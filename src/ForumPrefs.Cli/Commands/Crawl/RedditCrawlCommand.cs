using ForumPrefs.Ingest.RedditApi;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Core;
using ForumPrefs.Ingest;
using ForumPrefs.Sources.RedditApi;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Crawl;

/// <summary><c>forumprefs crawl reddit</c>: Reddit's OAuth API, listings and complete comment trees.</summary>
internal sealed class RedditCrawlCommand : Command, ICrawlVerb
{
    private readonly Option<string?> _subreddit = new("--subreddit") { Description = "Crawl this subreddit's listing", HelpName = "NAME" };
    private readonly Option<string> _sort = new("--sort") { Description = "top, new or hot", DefaultValueFactory = _ => "top" };
    private readonly Option<string> _period = new("--time") { Description = "For --sort top: hour, day, week, month, year or all", DefaultValueFactory = _ => "all" };
    private readonly Option<int> _limit = new("--limit") { Description = "Posts to crawl from the listing (Reddit stops near 1,000)", DefaultValueFactory = _ => 1000 };
    private readonly Option<string[]> _posts = new("--post") { Description = "Crawl these posts (ids; repeat or comma-separate)", HelpName = "ID", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _postsOnly = new("--posts-only") { Description = "Store the listing's posts without their comment trees" };
    private readonly Option<bool> _refresh = new("--refresh") { Description = "Fetch again what is stored (new scores become snapshots, removals are applied); alone: every stored Reddit post" };
    private readonly Option<string?> _userAgent = new("--user-agent") { Description = "platform:app:version (by /u/name); default REDDIT_USER_AGENT" };
    private readonly Option<string> _apiBase = new("--api-base") { Description = "API base URL", DefaultValueFactory = _ => "https://oauth.reddit.com" };
    private readonly Option<string> _authBase = new("--auth-base") { Description = "Token endpoint base URL", DefaultValueFactory = _ => "https://www.reddit.com" };
    private readonly Option<int?> _maxRequests = new("--max-requests-per-post") { Description = "Bound the requests one comment tree may use (default: none, trees are complete); the rest is counted as unexpanded", HelpName = "N" };
    private readonly Option<int?> _maxDepth = new("--max-depth") { Description = "Bound: do not follow 'continue this thread' links deeper than this (default: none)", HelpName = "N" };
    private readonly Option<bool> _skipFailed = new("--skip-failed") { Description = "Do not try again the posts earlier runs could not fetch" };
    private readonly Option<double> _timeout = CommonOptions.Seconds("--timeout", "Seconds to wait for one response before retrying", 30);
    private readonly Option<double> _maxResponse = CommonOptions.MaxResponseMb();
    private readonly Option<string> _db = CommonOptions.Db();

    public RedditCrawlCommand(CliIO io, TimeProvider time) : base("reddit", "Reddit's OAuth API: listings and complete comment trees (credentials from REDDIT_* variables)")
    {
        foreach (var option in new Option[] { _subreddit, _sort, _period, _limit, _posts, _postsOnly, _refresh, _userAgent, _apiBase, _authBase, _maxRequests, _maxDepth, _timeout, _skipFailed, _maxResponse, _db })
            Options.Add(option);
        SetAction(async (parse, cancellationToken) =>
        {
            var ids = (parse.GetValue(_posts) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(id => id.StartsWith("t3_", StringComparison.Ordinal) ? id[3..] : id).ToList();
            var sub = parse.GetValue(_subreddit);
            var options = ClientOptions(parse);
            if (!ListingReader.Sorts.Contains(parse.GetValue(_sort)))
                throw new UsageException($"--sort must be one of {string.Join(", ", ListingReader.Sorts)}");
            if (!ListingReader.Times.Contains(parse.GetValue(_period)))
                throw new UsageException($"--time must be one of {string.Join(", ", ListingReader.Times)}");
            if (parse.GetValue(_limit) < 1)
                throw new UsageException("--limit must be at least 1");
            if (sub is null && ids.Count == 0 && !parse.GetValue(_refresh))
                throw new UsageException("say what to crawl: --subreddit NAME, --post ID, or --refresh");
            var credentials = RedditCredentials.FromEnvironment();

            using var http = ForumPrefs.Sources.Http.CrawlerHttp.CreateClient(Timeout.InfiniteTimeSpan);
            using var client = new RedditClient(http, credentials, options, time) { Notice = io.Error.WriteLine };
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            var job = new RedditCrawl(store, client, new CommentTreeFetcher(client, options, time), time, parse.GetValue(_refresh),
                parse.GetValue(_skipFailed));
            if (sub is not null)
                await ProgressDisplay.RunAsync(io, $"r/{sub}", "posts", reporter => job.ListingAsync(sub, parse.GetValue(_sort)!,
                    parse.GetValue(_period)!, parse.GetValue(_limit), parse.GetValue(_postsOnly), reporter, cancellationToken), job.Detail);
            if (ids.Count > 0)
                await ProgressDisplay.RunAsync(io, "posts", "posts", reporter => job.PostsAsync(ids, reporter, cancellationToken), job.Detail);
            if (sub is null && ids.Count == 0)
                await ProgressDisplay.RunAsync(io, "posts", "posts",
                    reporter => job.PostsAsync(store.PostIds(SourceNames.Reddit), reporter, cancellationToken), job.Detail);
            Print(io, job.Result, client, parse.GetValue(_maxRequests) is not null || parse.GetValue(_maxDepth) is not null);
            IngestJobs.PrintFailures(io, "posts", job.Failures?.ByReason ?? [], job.LeftFailed);
            return job.Failures?.Count > 0 ? ExitCodes.DoneWithSkips : ExitCodes.Done;
        });
    }

    private static void Print(CliIO io, RedditCrawl.Summary r, RedditClient client, bool bounded)
    {
        var perThousand = r.Comments > 0 ? $" ({1000.0 * r.TreeRequests / r.Comments:F1} per 1,000 comments)" : "";
        io.Out.WriteLine($"stored {r.Posts:N0} posts and {r.Comments:N0} comments; {r.AlreadyStored:N0} posts were stored already; " +
            $"{client.Requests:N0} requests ({client.Retries:N0} retried), {r.TreeRequests:N0} of them for comment trees{perThousand}; " +
            $"quota left {client.Limiter.Remaining?.ToString() ?? "unknown"}");
        if (r.UnexpandedComments + r.UnfollowedContinueLinks == 0)
            io.Out.WriteLine("every comment tree is complete");
        else if (bounded)
            io.Out.WriteLine($"INCOMPLETE: {r.UnexpandedComments:N0} comments in 'more' objects and {r.UnfollowedContinueLinks:N0} 'continue this thread' " +
                "links were left unfetched (bounded by --max-requests-per-post / --max-depth)");
        else
            io.Out.WriteLine($"{r.UnexpandedComments:N0} comments named in 'more' objects were not served by Reddit (deleted or removed since); " +
                "everything else was fetched");
    }

    /// <summary>The client's settings, validated: a usage error names the option.</summary>
    private RedditOptions ClientOptions(ParseResult parse)
    {
        var (maxRequests, maxDepth, timeout) = (parse.GetValue(_maxRequests), parse.GetValue(_maxDepth), parse.GetValue(_timeout));
        var agent = parse.GetValue(_userAgent) ?? Environment.GetEnvironmentVariable("REDDIT_USER_AGENT");
        if (string.IsNullOrWhiteSpace(agent))
            throw new UsageException("set --user-agent or REDDIT_USER_AGENT, in Reddit's form: linux:forumprefs:0.1 (by /u/yourname)");
        if (!RedditOptions.IsWellFormedUserAgent(agent))
            throw new UsageException($"the user agent must look like 'linux:forumprefs:0.1 (by /u/yourname)', not '{agent}'");
        if (!Uri.TryCreate(parse.GetValue(_apiBase)!.TrimEnd('/') + "/", UriKind.Absolute, out var api)
            || !Uri.TryCreate(parse.GetValue(_authBase)!.TrimEnd('/') + "/", UriKind.Absolute, out var auth))
            throw new UsageException("--api-base and --auth-base must be absolute URLs");
        if (maxRequests < 1 || maxDepth < 0 || timeout <= 0)
            throw new UsageException("--max-requests-per-post and --timeout must be positive, --max-depth 0 or more");
        return new RedditOptions
        {
            UserAgent = agent, ApiBase = api, AuthBase = auth, MaxRequestsPerPost = maxRequests ?? int.MaxValue, MaxDepth = maxDepth ?? int.MaxValue,
            RequestTimeout = TimeSpan.FromSeconds(timeout), MaxResponseBytes = CommonOptions.Bytes(parse.GetValue(_maxResponse)),
        };
    }
}
