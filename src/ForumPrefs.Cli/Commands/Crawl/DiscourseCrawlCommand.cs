using ForumPrefs.Cli.Jobs;
using ForumPrefs.Ingest.Discourse;
using ForumPrefs.Sources.Discourse;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Crawl;

/// <summary><c>forumprefs crawl discourse</c>: a Discourse forum's public JSON API, topics with all their posts.</summary>
internal sealed class DiscourseCrawlCommand : Command, ICrawlVerb
{
    private readonly Option<string> _site = new("--site") { Description = "The forum, e.g. https://discuss.python.org", Required = true, HelpName = "URL" };
    private readonly Option<string?> _category = new("--category") { Description = "Only this category's topics (its id or slug); default: the latest topics of the whole site", HelpName = "ID|SLUG" };
    private readonly Option<long[]> _topics = new("--topic") { Description = "Crawl these topics (ids; repeat the option)", HelpName = "ID", AllowMultipleArgumentsPerToken = true };
    private readonly Option<int?> _limit = new("--limit") { Description = "At most this many topics from the listing (default: every topic it lists)", HelpName = "N" };
    private readonly Option<bool> _refresh = new("--refresh") { Description = "Read stored topics again (new like counts become score sightings)" };
    private readonly Option<bool> _skipFailed = new("--skip-failed") { Description = "Do not try again the topics earlier runs could not fetch" };
    private readonly Option<double> _interval = CommonOptions.Seconds("--interval", "Seconds between requests to the site", 1);
    private readonly Option<double> _timeout = CommonOptions.Seconds("--timeout", "Seconds to wait for one response before retrying", 30);
    private readonly Option<string> _userAgent = new("--user-agent") { Description = "User-Agent sent to the site", DefaultValueFactory = _ => DiscourseSource.DefaultUserAgent };
    private readonly Option<bool> _ignoreRobots = new("--ignore-robots") { Description = "Read paths the site's robots.txt does not allow, and ignore its Crawl-delay (only for a site you run)" };
    private readonly Option<double> _maxResponse = CommonOptions.MaxResponseMb();
    private readonly Option<string> _db = CommonOptions.Db();

    public DiscourseCrawlCommand(CliIO io, TimeProvider time) : base("discourse",
        "A Discourse forum over its public JSON API, politely (robots.txt, pacing, 429 Retry-After, retries); API key from DISCOURSE_API_KEY/DISCOURSE_API_USERNAME")
    {
        foreach (var option in new Option[] { _site, _category, _topics, _limit, _refresh, _skipFailed, _interval, _timeout, _userAgent, _ignoreRobots, _maxResponse, _db })
            Options.Add(option);
        SetAction(async (parse, cancellationToken) =>
        {
            var options = DiscourseSource.SiteOptions(parse.GetValue(_site)!, parse.GetValue(_interval), parse.GetValue(_timeout), parse.GetValue(_userAgent)!,
                parse.GetValue(_ignoreRobots), parse.GetValue(_maxResponse));
            if (parse.GetValue(_limit) is < 1)
                throw new UsageException("--limit must be at least 1");
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            var crawl = await IngestJobs.DiscourseAsync(io, store, options, parse.GetValue(_topics) ?? [], parse.GetValue(_category),
                parse.GetValue(_limit), parse.GetValue(_refresh), time, cancellationToken, parse.GetValue(_skipFailed));

            var r = crawl.Result;
            io.Out.WriteLine($"stored {r.Topics:N0} topics with {r.Posts:N0} posts; {r.AlreadyStored:N0} topics were stored already; " +
                $"{crawl.Requests:N0} requests ({crawl.Retries:N0} retried)");
            foreach (var (kind, count) in r.Skipped.OrderBy(k => k.Key, StringComparer.Ordinal))
                io.Out.WriteLine($"skipped {count:N0} × {kind}");
            if (r.MissingPosts > 0)
                io.Out.WriteLine($"{r.MissingPosts:N0} posts listed in topics' streams were not served (deleted since, or hidden)");
            IngestJobs.PrintFailures(io, "topics", crawl.Failed, crawl.LeftFailed);
            return r.Skipped.Keys.Any(k => k != DiscourseTopic.NotAReply) || crawl.Failed.Count > 0 ? ExitCodes.DoneWithSkips : ExitCodes.Done;
        });
    }
}
