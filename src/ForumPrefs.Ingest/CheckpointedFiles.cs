using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest;

/// <summary>Files ingested one after another, each under its own checkpoint; progress is reported in files.</summary>
public static class CheckpointedFiles
{
    /// <summary>
    /// Each file's batch is keyed by the file's content (its first megabyte, as dump files are: a moved file is still
    /// known) and <paramref name="keySuffix"/>; a file finished before is skipped, the others handed to
    /// <paramref name="ingest"/>.
    /// </summary>
    public static IReadOnlyList<FileResult<TState>> Run<TState>(ForumStore store, string source, IReadOnlyList<string> files, string keySuffix,
        int batchItems, IngestReporter reporter, Action<CheckpointedBatch<TState>, string> ingest) where TState : IngestState, new()
    {
        var results = new List<FileResult<TState>>();
        using var checkpoints = store.CheckpointInBackground(); // the writer does not stop to copy the log
        foreach (var file in files)
        {
            var batch = new CheckpointedBatch<TState>(store, source, DumpFileIdentity.Of(file).Head + keySuffix, batchItems);
            if (!batch.State.Done)
                ingest(batch, file);
            results.Add(new FileResult<TState>(file, batch.State, batch.WasDone));
            reporter.Progress.Report(new(results.Count, files.Count));
        }
        return results;
    }

    /// <summary>When a file's records were read: the time given, else the file's modification time.</summary>
    public static DateTimeOffset Observed(string file, DateTimeOffset? given) =>
        given ?? new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
}
