using ForumPrefs.Sources.Http;

namespace ForumPrefs.Ingest;

/// <summary>
/// The units of a crawl (posts, topics, pages) that could not be fetched: each is counted by its reason and the crawl
/// goes on. Only a run of server errors in a row (the site looks down) stops it, as a <see cref="FetchFailedException"/>
/// with progress kept, so that a dead network does not skip a whole listing.
/// </summary>
public sealed class CrawlFailures(IngestReporter reporter)
{
    public const int MaxServerErrorsInARow = 3;
    private int _serverErrorsInARow;

    /// <summary>Units skipped in this run, by reason ("gone", "forbidden", "server error after retries", …).</summary>
    public Dictionary<string, long> ByReason { get; } = [];

    public long Count => ByReason.Values.Sum();

    /// <summary>Runs one unit's fetch and store; the reason it failed, or null when it succeeded.</summary>
    public async Task<string?> TryAsync(string unit, Func<Task> fetch)
    {
        try
        {
            await fetch();
            _serverErrorsInARow = 0;
            return null;
        }
        catch (FetchFailedException ex)
        {
            ByReason[ex.Reason] = ByReason.GetValueOrDefault(ex.Reason) + 1;
            reporter.Notice($"skipped {unit}: {ex.Reason} ({ex.Message})");
            _serverErrorsInARow = ex.Kind == FetchFailure.ServerError ? _serverErrorsInARow + 1 : 0;
            if (_serverErrorsInARow >= MaxServerErrorsInARow)
                throw new FetchFailedException(FetchFailure.ServerError,
                    $"{MaxServerErrorsInARow} {unit.Split(' ')[0]}s in a row failed with server errors: the site looks down; run the same command again to resume");
            return ex.Reason;
        }
    }

    /// <summary>
    /// The units earlier runs could not fetch (<paramref name="failed"/>: id → reason, kept in the listing's
    /// checkpoint), tried again, each result committed at once; with <paramref name="skipFailed"/> they are left.
    /// </summary>
    /// <returns>How many were left untried.</returns>
    public async Task<long> RetryAsync<TId>(Dictionary<TId, string> failed, string units, bool skipFailed, Func<TId, Task> fetch, Action commit)
        where TId : notnull
    {
        if (failed.Count == 0)
            return 0;
        if (skipFailed)
        {
            reporter.Notice($"{failed.Count:N0} {units}s earlier runs could not fetch are left (--skip-failed)");
            return failed.Count;
        }
        reporter.Notice($"trying again {failed.Count:N0} {units}s earlier runs could not fetch");
        foreach (var id in failed.Keys.Order().ToList())
        {
            if (await TryAsync($"{units} {id}", () => fetch(id)) is { } reason)
                failed[id] = reason;
            else
                failed.Remove(id);
            commit();
        }
        return 0;
    }
}
