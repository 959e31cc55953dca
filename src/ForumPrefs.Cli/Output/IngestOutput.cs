using ForumPrefs.Ingest;
using ForumPrefs.Store;

namespace ForumPrefs.Cli.Output;

/// <summary>What the ingest verbs print beyond their tables.</summary>
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

    /// <summary>
    /// One row a file: its name, the ingest's own counts, a column per skip kind (all of <paramref name="kinds"/>, else
    /// those met), and a note for files finished before this run.
    /// </summary>
    public static QueryResult Files<TState>(IReadOnlyList<FileResult<TState>> results, string[] columns, Func<TState, object?[]> counts,
        IReadOnlyList<string>? kinds = null) where TState : IngestState
    {
        var skipKinds = kinds ?? results.SelectMany(r => r.State.Skipped.Keys).Distinct().Order().ToArray();
        return new QueryResult(["file", .. columns, .. skipKinds, "note"],
            results.Select(r => new object?[] { Path.GetFileName(r.File) }
                .Concat(counts(r.State))
                .Concat(skipKinds.Select(k => (object?)r.State.Skipped.GetValueOrDefault(k)))
                .Append(r.AlreadyDone ? "already ingested" : "").ToArray()).ToList());
    }
}
