using ForumPrefs.Core;
using ForumPrefs.Sources.Mapped;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.Mapped;

/// <summary>
/// Threads from any JSON, JSON Lines or CSV export, read through a mapping, into the same rows a native source
/// writes. Units (threads, or records) commit in batches with a checkpoint of the units done, so a killed ingest
/// resumes at its last commit; replies known only by their parent get their depth once every file is in.
/// </summary>
public static class MappedIngest
{
    public const string Source = "mapped-export";
    private const int BatchItems = 5_000;

    public sealed class FileState : IngestState
    {
        public long Units { get; set; }
        public long Posts { get; set; }
        public long Comments { get; set; }
    }

    /// <param name="observed">When the scores were read, where the mapping names no such field; default: each file's date.</param>
    public static IReadOnlyList<FileResult<FileState>> Run(ForumStore store, ExportMapping mapping, IReadOnlyList<string> files,
        DateTimeOffset? observed, IngestReporter reporter, CancellationToken cancellationToken)
    {
        // The same file read through another mapping is another ingest.
        var results = CheckpointedFiles.Run<FileState>(store, Source, files, ":" + mapping.Name, BatchItems, reporter,
            (batch, file) => Ingest(batch, mapping, file, CheckpointedFiles.Observed(file, observed), reporter, cancellationToken));
        store.ResolveDepths();
        return results;
    }

    private static void Ingest(CheckpointedBatch<FileState> batch, ExportMapping mapping, string file, DateTimeOffset fileObserved,
        IngestReporter reporter, CancellationToken cancellationToken)
    {
        var state = batch.State;
        var reader = new MappedReader(mapping);
        var lastUnit = state.Units;
        var forums = new Dictionary<string, Forum>(StringComparer.Ordinal);
        foreach (var (unit, item) in reader.Read(file, state.Units))
        {
            if (unit != lastUnit && batch.Full)
            {
                // Only between units: a thread is never split across commits.
                cancellationToken.ThrowIfCancellationRequested();
                Commit(batch, reader, lastUnit);
            }
            lastUnit = unit;
            if (!forums.TryGetValue(item.Forum, out var forum))
                forums[item.Forum] = forum = new Forum(mapping.Source, item.Forum);
            if (item.Post is { } post)
            {
                batch.Add(forum, post, item.Observed ?? fileObserved);
                state.Posts++;
            }
            else if (item.Comment is { } comment)
            {
                batch.Add(forum, comment, item.Observed ?? fileObserved);
                state.Comments++;
            }
        }
        foreach (var example in reader.Examples)
            reporter.Notice($"skipped in {Path.GetFileName(file)}: {example}");
        state.Done = true;
        Commit(batch, reader, reader.Units);
    }

    private static void Commit(CheckpointedBatch<FileState> batch, MappedReader reader, long units)
    {
        batch.State.Units = units;
        foreach (var (kind, count) in reader.Skipped)
            batch.State.Skipped[kind] = count;
        if (batch.State.Done)
            batch.Complete();
        else
            batch.Commit();
    }
}
