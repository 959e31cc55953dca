using ForumPrefs.Sources;

namespace ForumPrefs.Ingest;

/// <summary>
/// The loop of an ingest whose reader hands out items unit by unit (a line, a thread, a record), each with its
/// unit's number. Commits fall only between units, with the count of units done, so a resumed ingest starts at a
/// whole unit and never splits a thread across commits; the reader's skip counts go into the same checkpoint.
/// </summary>
public static class UnitFiles
{
    /// <param name="unitsDone">How many units the checkpoint says were done (the reader was asked to pass them over).</param>
    /// <param name="unitsRead">How many units the reader read in all, once it is finished.</param>
    /// <param name="setUnits">Writes the units done into the state.</param>
    public static void Ingest<TState, TItem>(CheckpointedBatch<TState> batch, string file, ISkipCounter reader, IEnumerable<(long Unit, TItem Item)> items,
        long unitsDone, Func<long> unitsRead, Action<TState, long> setUnits, Action<TItem> add, IngestReporter reporter, CancellationToken cancellationToken)
        where TState : IngestState, new()
    {
        var last = unitsDone;
        foreach (var (unit, item) in items)
        {
            if (unit != last && batch.Full)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Commit(batch, reader, setUnits, last);
            }
            last = unit;
            add(item);
        }
        foreach (var example in reader.Examples)
            reporter.Notice($"skipped in {Path.GetFileName(file)}: {example}");
        batch.State.Done = true;
        Commit(batch, reader, setUnits, unitsRead());
    }

    private static void Commit<TState>(CheckpointedBatch<TState> batch, ISkipCounter reader, Action<TState, long> setUnits, long units)
        where TState : IngestState, new()
    {
        setUnits(batch.State, units);
        foreach (var (kind, count) in reader.Skipped)
            batch.State.Skipped[kind] = count;
        if (batch.State.Done)
            batch.Complete();
        else
            batch.Commit();
    }
}
