using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Seam;

/// <summary>
/// What an ingest did, as every source reports it: a table (a row a file or unit; no columns when there is none),
/// notes for the log (stderr), lines of result beneath the table (stdout), and the records skipped that the user
/// should look at (exit code 3). <see cref="Failed"/> is set when part of the input could not be read at all (exit 1).
/// </summary>
public sealed record SourceRun(QueryResult Table, IReadOnlyList<string> Notes, long Skipped, bool Failed = false)
{
    public IReadOnlyList<string> Lines { get; init; } = [];

    /// <summary>
    /// One row a file: its name, the ingest's own counts, a column per skip kind (all of <paramref name="kinds"/>, else
    /// those met), and a note for files finished before this run. Skips of <paramref name="expected"/> kinds are
    /// counted in the table but are no reason for exit code 3.
    /// </summary>
    public static SourceRun Of<TState>(IReadOnlyList<FileResult<TState>> results, string[] columns, Func<TState, object?[]> counts,
        IReadOnlyList<string>? kinds = null, IReadOnlyList<string>? notes = null, IReadOnlyCollection<string>? expected = null)
        where TState : IngestState
    {
        var skipKinds = kinds ?? results.SelectMany(r => r.State.Skipped.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var table = new QueryResult(["file", .. columns, .. skipKinds, "note"],
            results.Select(r => new object?[] { Path.GetFileName(r.File) }
                .Concat(counts(r.State))
                .Concat(skipKinds.Select(k => (object?)r.State.Skipped.GetValueOrDefault(k)))
                .Append(r.AlreadyDone ? "already ingested" : "").ToArray()).ToList());
        var skipped = results.Sum(r => r.State.Skipped.Where(k => expected?.Contains(k.Key) != true).Sum(k => k.Value));
        return new SourceRun(table, notes ?? [], skipped);
    }
}
