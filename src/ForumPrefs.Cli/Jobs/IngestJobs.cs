using ForumPrefs.Cli.Output;
using ForumPrefs.Ingest;
using ForumPrefs.Ingest.Discourse;
using ForumPrefs.Ingest.Html;
using ForumPrefs.Ingest.Seam;
using ForumPrefs.Ingest.Simulation;
using ForumPrefs.Sources.Discourse;
using ForumPrefs.Sources.Simulation;
using ForumPrefs.Store;

namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// Ingests under a progress bar with their notices on stderr, and their results printed the one way every source's
/// are. The work itself is ForumPrefs.Ingest's.
/// </summary>
internal static class IngestJobs
{
    /// <summary>Any source on the seam.</summary>
    public static async Task<SourceRun> RunAsync(CliIO io, ForumStore store, IIngestSource source, IReadOnlyList<string> inputs, object settings,
        TimeProvider time, CancellationToken cancellationToken)
    {
        SourceRun? run = null;
        await ProgressDisplay.RunAsync(io, $"ingest {source.Name}", source.ProgressUnit,
            async reporter => { run = await source.IngestAsync(store, inputs, settings, new SourceContext(reporter, time), cancellationToken); });
        return run!;
    }

    /// <summary>Notes on stderr, the table and result lines on stdout; the exit code of what was skipped or failed.</summary>
    public static int Print(CliIO io, SourceRun run, ResultFormat format)
    {
        foreach (var note in run.Notes)
            io.Error.WriteLine(note);
        if (run.Table.Columns.Count > 0)
            ResultWriter.Write(io.Out, run.Table, format);
        foreach (var line in run.Lines)
            io.Out.WriteLine(line);
        if (run.Failed)
            return ExitCodes.Failed;
        if (run.Skipped == 0)
            return ExitCodes.Done;
        if (run.Table.Columns.Count > 0)
            io.Error.WriteLine($"{run.Skipped:N0} record(s) skipped (see the table; the first examples of each file were logged above)");
        return ExitCodes.DoneWithSkips;
    }

    /// <summary>Topics by id, or else a listing (a category's or the latest), all of it or up to <paramref name="limit"/> topics.</summary>
    public static async Task<DiscourseSource.Crawl> DiscourseAsync(CliIO io, ForumStore store, DiscourseOptions options, IReadOnlyList<long> topics,
        string? category, int? limit, bool refresh, TimeProvider time, CancellationToken cancellationToken, bool skipFailed = false)
    {
        DiscourseSource.Crawl? crawl = null;
        Func<string>? detail = null;
        // A block body: an expression lambda would return Task<Crawl>, taken as the result of a synchronous ingest.
        await ProgressDisplay.RunAsync(io, options.Site.Host, "topics", async reporter =>
        {
            crawl = await DiscourseSource.CrawlAsync(store, options, topics, category, limit, refresh, new SourceContext(reporter, time),
                cancellationToken, skipFailed, d => detail = d);
        }, () => detail?.Invoke() ?? "");
        return crawl!;
    }

    public static Task<SimulationIngest.Result> SimulateAsync(CliIO io, ForumStore store, SimulatorSettings settings, int posts,
        int batch, double recrawlAfterHours, double timelineHours, CancellationToken cancellationToken) =>
        ProgressDisplay.RunAsync(io, "simulate", "posts",
            reporter => SimulationIngest.Run(store, settings, posts, batch, recrawlAfterHours, timelineHours, reporter, cancellationToken));

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
