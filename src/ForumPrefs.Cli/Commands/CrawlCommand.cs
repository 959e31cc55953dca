using ForumPrefs.Core;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Sources.RedditApi;
using ForumPrefs.Store;
using System.CommandLine;
using System.Net;

namespace ForumPrefs.Cli.Commands;

/// <summary><c>forumprefs crawl</c>: fetch threads from live sources.</summary>
internal sealed class CrawlCommand : Command
{
    public CrawlCommand(CliIO io, TimeProvider time) : base("crawl", "Crawl live sources into the store (resumable)")
    {
        Subcommands.Add(Reddit(io, time));
        Subcommands.Add(Html(io, time));
    }

    private static Command Html(CliIO io, TimeProvider time)
    {
        var urls = new Argument<string[]>("URL") { Description = "Thread pages to fetch", Arity = ArgumentArity.OneOrMore };
        var profile = new Option<string>("--profile") { Description = "Built-in (old-reddit, stackexchange) or a profile file", Required = true, HelpName = "NAME|FILE" };
        var interval = new Option<double>("--interval") { Description = "Seconds between requests to one host (a larger Crawl-delay wins)", DefaultValueFactory = _ => 2 };
        var ignoreRobots = new Option<bool>("--ignore-robots") { Description = "Do not read robots.txt (only where you are allowed to)" };
        var cache = new Option<string>("--cache") { Description = "Folder of cached pages, revalidated with conditional GETs", DefaultValueFactory = _ => "forumprefs-cache" };
        var userAgent = new Option<string>("--user-agent") { Description = "User-Agent sent to the site", DefaultValueFactory = _ => "forumprefs/0.1 (preference-data research crawler)" };
        var refresh = new Option<bool>("--refresh") { Description = "Fetch pages already stored again" };
        var maxPage = new Option<double>("--max-page-mb") { Description = "Pages larger than this (decompressed) are skipped and counted", HelpName = "MB", DefaultValueFactory = _ => 20 };
        var db = CommonOptions.Db();
        var command = new Command("html", "Forum pages over HTTP, politely (robots.txt, per-host pacing, retries, cache), read with a profile")
        {
            urls, profile, interval, ignoreRobots, cache, userAgent, refresh, maxPage, db,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var targets = parse.GetValue(urls)!.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url : throw new UsageException($"not an http(s) URL: {u}")).ToList();
            if (parse.GetValue(interval) < 0)
                throw new UsageException("--interval must be 0 or more");
            if (parse.GetValue(maxPage) <= 0)
                throw new UsageException("--max-page-mb must be more than 0");
            var chosen = IngestCommand.LoadProfile(io, parse.GetValue(profile)!);
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(db)!));
            using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = TimeSpan.FromSeconds(60) };
            var fetcher = new ForumPrefs.Sources.Html.PoliteFetcher(http, parse.GetValue(userAgent)!, TimeSpan.FromSeconds(parse.GetValue(interval)),
                parse.GetValue(ignoreRobots), io.Resolve(parse.GetValue(cache)!), time)
            {
                MaxPageBytes = (long)(parse.GetValue(maxPage) * 1024 * 1024),
            };
            var job = new HtmlIngestJob(io, store, chosen);
            long refused = 0, cached = 0;
            foreach (var url in targets)
            {
                if (!parse.GetValue(refresh) && job.IsStored(url.AbsoluteUri))
                    continue;
                var page = await fetcher.GetAsync(url, cancellationToken);
                if (page.Html is null)
                {
                    io.Error.WriteLine($"skipped {url}: {page.Refused}");
                    refused++;
                    continue;
                }
                cached += page.FromCache ? 1 : 0;
                job.Add(page.Html, url.AbsoluteUri, time.GetUtcNow());
            }
            job.Report();
            io.Out.WriteLine($"{fetcher.Requests:N0} requests; {cached:N0} pages unchanged (served from the cache); {refused:N0} pages not fetched");
            return refused > 0 && job.ExitCode == ExitCodes.Done ? ExitCodes.DoneWithSkips : job.ExitCode;
        });
        return command;
    }

    private static Command Reddit(CliIO io, TimeProvider time)
    {
        var subreddit = new Option<string?>("--subreddit") { Description = "Crawl this subreddit's listing", HelpName = "NAME" };
        var sort = new Option<string>("--sort") { Description = "top, new or hot", DefaultValueFactory = _ => "top" };
        var period = new Option<string>("--time") { Description = "For --sort top: hour, day, week, month, year or all", DefaultValueFactory = _ => "all" };
        var limit = new Option<int>("--limit") { Description = "Posts to crawl from the listing (Reddit stops near 1,000)", DefaultValueFactory = _ => 1000 };
        var posts = new Option<string[]>("--post") { Description = "Crawl these posts (ids; repeat or comma-separate)", HelpName = "ID", AllowMultipleArgumentsPerToken = true };
        var postsOnly = new Option<bool>("--posts-only") { Description = "Store the listing's posts without their comment trees" };
        var refresh = new Option<bool>("--refresh") { Description = "Fetch again what is stored (new scores become snapshots, removals are applied); alone: every stored Reddit post" };
        var userAgent = new Option<string?>("--user-agent") { Description = "platform:app:version (by /u/name); default REDDIT_USER_AGENT" };
        var apiBase = new Option<string>("--api-base") { Description = "API base URL", DefaultValueFactory = _ => "https://oauth.reddit.com" };
        var authBase = new Option<string>("--auth-base") { Description = "Token endpoint base URL", DefaultValueFactory = _ => "https://www.reddit.com" };
        var maxRequests = new Option<int?>("--max-requests-per-post") { Description = "Bound the requests one comment tree may use (default: none, trees are complete); the rest is counted as unexpanded", HelpName = "N" };
        var maxDepth = new Option<int?>("--max-depth") { Description = "Bound: do not follow 'continue this thread' links deeper than this (default: none)", HelpName = "N" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for one response before retrying", DefaultValueFactory = _ => 30 };
        var db = CommonOptions.Db();
        var command = new Command("reddit", "Reddit's OAuth API: listings and complete comment trees (credentials from REDDIT_* variables)")
        {
            subreddit, sort, period, limit, posts, postsOnly, refresh, userAgent, apiBase, authBase, maxRequests, maxDepth, timeout, db,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ids = (parse.GetValue(posts) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(id => id.StartsWith("t3_") ? id[3..] : id).ToList();
            var sub = parse.GetValue(subreddit);
            var options = ClientOptions(parse.GetValue(userAgent), parse.GetValue(apiBase)!, parse.GetValue(authBase)!,
                parse.GetValue(maxRequests), parse.GetValue(maxDepth), parse.GetValue(timeout));
            if (!ListingReader.Sorts.Contains(parse.GetValue(sort)))
                throw new UsageException($"--sort must be one of {string.Join(", ", ListingReader.Sorts)}");
            if (!ListingReader.Times.Contains(parse.GetValue(period)))
                throw new UsageException($"--time must be one of {string.Join(", ", ListingReader.Times)}");
            if (parse.GetValue(limit) < 1)
                throw new UsageException("--limit must be at least 1");
            if (sub is null && ids.Count == 0 && !parse.GetValue(refresh))
                throw new UsageException("say what to crawl: --subreddit NAME, --post ID, or --refresh");
            var credentials = RedditCredentials.FromEnvironment();

            using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = Timeout.InfiniteTimeSpan };
            using var client = new RedditClient(http, credentials, options, time);
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(db)!));
            var job = new RedditCrawlJob(io, store, client, new CommentTreeFetcher(client, options, time), time, parse.GetValue(refresh));
            if (sub is not null)
                await job.ListingAsync(sub, parse.GetValue(sort)!, parse.GetValue(period)!, parse.GetValue(limit), parse.GetValue(postsOnly), cancellationToken);
            if (ids.Count > 0)
                await job.PostsAsync(ids, cancellationToken);
            if (sub is null && ids.Count == 0)
                await job.PostsAsync(store.PostIds(SourceNames.Reddit), cancellationToken);

            var r = job.Result;
            var perThousand = r.Comments > 0 ? $" ({1000.0 * r.TreeRequests / r.Comments:F1} per 1,000 comments)" : "";
            io.Out.WriteLine($"stored {r.Posts:N0} posts and {r.Comments:N0} comments; {r.AlreadyStored:N0} posts were stored already; " +
                $"{client.Requests:N0} requests ({client.Retries:N0} retried), {r.TreeRequests:N0} of them for comment trees{perThousand}; " +
                $"quota left {client.Limiter.Remaining?.ToString() ?? "unknown"}");
            var bounded = parse.GetValue(maxRequests) is not null || parse.GetValue(maxDepth) is not null;
            if (r.UnexpandedComments + r.UnfollowedContinueLinks == 0)
                io.Out.WriteLine("every comment tree is complete");
            else if (bounded)
                io.Out.WriteLine($"INCOMPLETE: {r.UnexpandedComments:N0} comments in 'more' objects and {r.UnfollowedContinueLinks:N0} 'continue this thread' " +
                    "links were left unfetched (bounded by --max-requests-per-post / --max-depth)");
            else
                io.Out.WriteLine($"{r.UnexpandedComments:N0} comments named in 'more' objects were not served by Reddit (deleted or removed since); " +
                    "everything else was fetched");
            return ExitCodes.Done;
        });
        return command;
    }

    private static RedditOptions ClientOptions(string? userAgent, string apiBase, string authBase, int? maxRequests, int? maxDepth, double timeout)
    {
        var agent = userAgent ?? Environment.GetEnvironmentVariable("REDDIT_USER_AGENT");
        if (string.IsNullOrWhiteSpace(agent))
            throw new UsageException("set --user-agent or REDDIT_USER_AGENT, in Reddit's form: linux:forumprefs:0.1 (by /u/yourname)");
        if (!RedditOptions.IsWellFormedUserAgent(agent))
            throw new UsageException($"the user agent must look like 'linux:forumprefs:0.1 (by /u/yourname)', not '{agent}'");
        if (!Uri.TryCreate(apiBase.TrimEnd('/') + "/", UriKind.Absolute, out var api) || !Uri.TryCreate(authBase.TrimEnd('/') + "/", UriKind.Absolute, out var auth))
            throw new UsageException("--api-base and --auth-base must be absolute URLs");
        if (maxRequests < 1 || maxDepth < 0 || timeout <= 0)
            throw new UsageException("--max-requests-per-post and --timeout must be positive, --max-depth 0 or more");
        return new RedditOptions
        {
            UserAgent = agent, ApiBase = api, AuthBase = auth, MaxRequestsPerPost = maxRequests ?? int.MaxValue, MaxDepth = maxDepth ?? int.MaxValue,
            RequestTimeout = TimeSpan.FromSeconds(timeout),
        };
    }
}
