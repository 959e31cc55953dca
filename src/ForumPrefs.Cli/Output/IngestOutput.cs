using ForumPrefs.Ingest.Html;

namespace ForumPrefs.Cli.Output;

/// <summary>What <c>crawl html</c> prints of the pages it stored.</summary>
internal static class IngestOutput
{
    public static void Print(CliIO io, HtmlPageIngest.Totals t)
    {
        io.Out.WriteLine($"stored {t.Threads:N0} threads with {t.Comments:N0} comments (profile {t.Profile}); " +
            $"{t.MoreStubs:N0} 'load more' stubs counted, not fetched");
        if (t.HiddenScores > 0)
            io.Out.WriteLine($"{t.HiddenScores:N0} comments stored with a hidden score (unknown until a later read shows it; pairing skips them)");
        foreach (var (kind, count) in t.Skipped.OrderBy(k => k.Key, StringComparer.Ordinal))
            io.Out.WriteLine($"skipped {count:N0} × {kind}");
    }
}
