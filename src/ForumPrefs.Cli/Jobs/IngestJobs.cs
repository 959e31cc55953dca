using ForumPrefs.Cli.Output;
using ForumPrefs.Ingest;
using ForumPrefs.Sources.Discourse;
using ForumPrefs.Sources.Html;
using ForumPrefs.Sources.Simulation;
using ForumPrefs.Store;

namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// The ingests the <c>ingest</c>, <c>simulate</c> and <c>run</c> verbs share, each under a progress bar with its
/// notices on stderr. The work itself is ForumPrefs.Ingest's.
/// </summary>
internal static class IngestJobs
{
    public static Task<IReadOnlyList<FileResult<StackExchangePostsIngest.FileState>>> StackExchangePostsAsync(CliIO io, ForumStore store,
        IReadOnlyList<string> paths, string site, DateTimeOffset? observed, CancellationToken cancellationToken) =>
        ProgressDisplay.RunAsync(io, $"ingest {site}", "files", reporter => StackExchangePostsIngest.Run(store, paths, site, observed, reporter, cancellationToken));

    public static Task<IReadOnlyList<FileResult<StackExchangeVotesIngest.FileState>>> StackExchangeVotesAsync(CliIO io, ForumStore store,
        IReadOnlyList<string> paths, string site, CancellationToken cancellationToken) =>
        ProgressDisplay.RunAsync(io, $"votes {site}", "files", reporter => StackExchangeVotesIngest.Run(store, paths, site, reporter, cancellationToken));

    public static Task<IReadOnlyList<FileResult<OasstIngest.FileState>>> OasstAsync(CliIO io, ForumStore store,
        IReadOnlyList<string> paths, DateTimeOffset? observed, CancellationToken cancellationToken) =>
        ProgressDisplay.RunAsync(io, "ingest oasst", "files", reporter => OasstIngest.Run(store, paths, observed, reporter, cancellationToken));

    public sealed record DiscourseRun(DiscourseCrawl.Summary Result, long Requests, long Retries, IReadOnlyDictionary<string, long> Failed, long LeftFailed);

    /// <summary>Topics by id, or else a listing (a category's or the latest), all of it or up to <paramref name="limit"/> topics.</summary>
    public static async Task<DiscourseRun> DiscourseAsync(CliIO io, ForumStore store, DiscourseOptions options, IReadOnlyList<long> topics,
        string? category, int? limit, bool refresh, TimeProvider time, CancellationToken cancellationToken, bool skipFailed = false)
    {
        using var http = ForumPrefs.Sources.Http.CrawlerHttp.CreateClient(Timeout.InfiniteTimeSpan);
        var client = new DiscourseClient(http, options, time) { Notice = io.Error.WriteLine };
        var job = new DiscourseCrawl(store, new DiscourseReader(client, time), client, refresh, skipFailed);
        if (topics.Count > 0)
            await ProgressDisplay.RunAsync(io, client.Host, "topics", reporter => job.TopicsAsync(topics, reporter, cancellationToken), job.Detail);
        else
            await ProgressDisplay.RunAsync(io, client.Host, "topics", reporter => job.ListingAsync(category, limit, reporter, cancellationToken), job.Detail);
        return new DiscourseRun(job.Result, client.Requests, client.Retries, job.Failures?.ByReason ?? [], job.LeftFailed);
    }

    public static Task<SimulationIngest.Result> SimulateAsync(CliIO io, ForumStore store, SimulatorSettings settings, int posts,
        int batch, double recrawlAfterHours, double timelineHours, CancellationToken cancellationToken) =>
        ProgressDisplay.RunAsync(io, "simulate", "posts",
            reporter => SimulationIngest.Run(store, settings, posts, batch, recrawlAfterHours, timelineHours, reporter, cancellationToken));

    /// <summary>Stores each saved page; unreadable pages are reported on stderr and counted.</summary>
    public static HtmlPageIngest.Totals HtmlPages(CliIO io, ForumStore store, HtmlProfile profile, IEnumerable<string> paths)
    {
        var job = new HtmlPageIngest(store, profile, Notices(io));
        foreach (var path in paths)
            job.Add(File.ReadAllText(path), path, InputFiles.Written(path));
        return job.Result;
    }

    /// <summary>A reporter for work without a progress bar (one page at a time): notices only.</summary>
    public static IngestReporter Notices(CliIO io) => new(new Progress<IngestProgress>(), io.Error.WriteLine);

    /// <summary>"could not fetch 2 posts: 1 gone, 1 server error after retries (a rerun tries them again)".</summary>
    public static void PrintFailures(CliIO io, string units, IReadOnlyDictionary<string, long> failed, long left)
    {
        if (failed.Count > 0)
            io.Out.WriteLine($"could not fetch {failed.Values.Sum():N0} {units}: " +
                string.Join(", ", failed.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Value:N0} {f.Key}")) +
                " (the same command tries them again; --skip-failed leaves them)");
        if (left > 0)
            io.Out.WriteLine($"{left:N0} {units} earlier runs could not fetch were left (--skip-failed)");
    }

    public static int ExitCode(HtmlPageIngest.Totals t) =>
        t.FailedPages > 0 ? ExitCodes.Failed : t.Skipped.Count > 0 ? ExitCodes.DoneWithSkips : ExitCodes.Done;
}
