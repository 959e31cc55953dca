using ForumPrefs.Ingest.Html;
using ForumPrefs.Cli.Jobs;
using ForumPrefs.Cli.Output;
using ForumPrefs.Ingest;
using ForumPrefs.Sources.Html;
using ForumPrefs.Store;
using System.CommandLine;

namespace ForumPrefs.Cli.Commands.Crawl;

/// <summary><c>forumprefs crawl html</c>: forum pages over HTTP, politely, read with a profile.</summary>
internal sealed class HtmlCrawlCommand : Command, ICrawlVerb
{
    private readonly Argument<string[]> _urls = new("URL") { Description = "Thread pages to fetch", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _profile = new("--profile") { Description = "Built-in (old-reddit, stackexchange) or a profile file", Required = true, HelpName = "NAME|FILE" };
    private readonly Option<double> _interval = CommonOptions.Seconds("--interval", "Seconds between requests to one host (a larger Crawl-delay wins)", 2);
    private readonly Option<bool> _ignoreRobots = new("--ignore-robots") { Description = "Do not read robots.txt (only where you are allowed to)" };
    private readonly Option<string> _cache = new("--cache") { Description = "Folder of cached pages, revalidated with conditional GETs", DefaultValueFactory = _ => "forumprefs-cache" };
    private readonly Option<string> _userAgent = new("--user-agent") { Description = "User-Agent sent to the site", DefaultValueFactory = _ => "forumprefs/0.1 (preference-data research crawler)" };
    private readonly Option<bool> _refresh = new("--refresh") { Description = "Fetch pages already stored again" };
    private readonly Option<bool> _skipFailed = new("--skip-failed") { Description = "Do not try again the pages earlier runs could not fetch" };
    private readonly Option<double> _timeout = CommonOptions.Seconds("--timeout", "Seconds to wait for one page before retrying", 60);
    private readonly Option<double> _maxPage = new("--max-page-mb") { Description = "Pages larger than this (decompressed) are skipped and counted", HelpName = "MB", DefaultValueFactory = _ => 20 };
    private readonly Option<string> _db = CommonOptions.Db();

    public HtmlCrawlCommand(CliIO io, TimeProvider time) : base("html", "Forum pages over HTTP, politely (robots.txt, per-host pacing, retries, cache), read with a profile")
    {
        foreach (var option in new Option[] { _profile, _interval, _ignoreRobots, _cache, _userAgent, _refresh, _skipFailed, _timeout, _maxPage, _db })
            Options.Add(option);
        Arguments.Add(_urls);
        SetAction(async (parse, cancellationToken) =>
        {
            var targets = parse.GetValue(_urls)!.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url : throw new UsageException($"not an http(s) URL: {u}")).ToList();
            if (parse.GetValue(_interval) < 0)
                throw new UsageException("--interval must be 0 or more");
            if (parse.GetValue(_maxPage) <= 0 || parse.GetValue(_timeout) <= 0)
                throw new UsageException("--max-page-mb and --timeout must be more than 0");
            var profile = InputFiles.Profile(io, parse.GetValue(_profile)!);
            using var store = ForumStore.Open(io.Resolve(parse.GetValue(_db)!));
            using var http = ForumPrefs.Sources.Http.CrawlerHttp.CreateClient(TimeSpan.FromSeconds(parse.GetValue(_timeout)));
            var fetcher = new PoliteFetcher(http, parse.GetValue(_userAgent)!, TimeSpan.FromSeconds(parse.GetValue(_interval)),
                parse.GetValue(_ignoreRobots), io.Resolve(parse.GetValue(_cache)!), time)
            {
                MaxPageBytes = (long)(parse.GetValue(_maxPage) * 1024 * 1024),
                Notice = io.Error.WriteLine,
            };
            var job = new HtmlPageIngest(store, profile, IngestJobs.Notices(io));
            long refused = 0, cached = 0, left = 0;
            foreach (var url in targets)
            {
                if (!parse.GetValue(_refresh) && job.IsStored(url.AbsoluteUri))
                    continue;
                if (parse.GetValue(_skipFailed) && job.FailedBefore(url.AbsoluteUri))
                {
                    left++;
                    continue;
                }
                var page = await fetcher.GetAsync(url, cancellationToken);
                if (page.Html is null)
                {
                    io.Error.WriteLine($"skipped {url}: {page.Refused}");
                    job.Failed(url.AbsoluteUri, page.Refused!);
                    refused++;
                    continue;
                }
                cached += page.FromCache ? 1 : 0;
                job.Add(page.Html, url.AbsoluteUri, time.GetUtcNow());
            }
            IngestOutput.Print(io, job.Result);
            io.Out.WriteLine($"{fetcher.Requests:N0} requests; {cached:N0} pages unchanged (served from the cache); {refused:N0} pages not fetched");
            if (left > 0)
                io.Out.WriteLine($"{left:N0} pages earlier runs could not fetch were left (--skip-failed)");
            if (fetcher.DamagedCacheEntries > 0)
                io.Out.WriteLine($"{fetcher.DamagedCacheEntries:N0} cache entries were cut or damaged and their pages fetched whole again");
            var code = IngestJobs.ExitCode(job.Result);
            return refused > 0 && code == ExitCodes.Done ? ExitCodes.DoneWithSkips : code;
        });
    }
}
