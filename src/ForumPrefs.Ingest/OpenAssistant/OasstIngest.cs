using ForumPrefs.Core;
using ForumPrefs.Sources.OpenAssistant;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.OpenAssistant;

/// <summary>
/// OpenAssistant exports into the store: a tree's first prompt becomes a post (its id is the tree's), every other
/// message a comment under its parent, with the message's role, rank, language, synthetic flag, review, emojis and
/// labels kept as its meta. Scores are thumbs up minus thumbs down; the ranking itself is in the meta, for the ranking
/// policy. Lines commit in batches with a checkpoint of the lines done, so a killed ingest resumes where it stopped.
/// </summary>
public static class OasstIngest
{
    public const string Source = "oasst-export";
    public static readonly Forum Forum = new(SourceNames.OpenAssistant, "oasst");
    private const int BatchItems = 5_000;

    public sealed class FileState : IngestState
    {
        public long Lines { get; set; }
        public long Trees { get; set; }
        public long Messages { get; set; }
        public long Ranked { get; set; }
    }

    /// <param name="observed">When the export's votes were read; defaults to each file's modification time.</param>
    public static IReadOnlyList<FileResult<FileState>> Run(ForumStore store, IReadOnlyList<string> files, DateTimeOffset? observed,
        IngestReporter reporter, CancellationToken cancellationToken)
    {
        var results = CheckpointedFiles.Run<FileState>(store, Source, files, "", BatchItems, reporter,
            (batch, file) => Ingest(batch, file, CheckpointedFiles.Observed(file, observed), reporter, cancellationToken));
        // The flat layout gives no depths: they follow from the parent links, once every file is in.
        store.ResolveDepths();
        return results;
    }

    private static void Ingest(CheckpointedBatch<FileState> batch, string file, DateTimeOffset observed, IngestReporter reporter,
        CancellationToken cancellationToken)
    {
        var state = batch.State;
        var reader = new OasstReader();
        UnitFiles.Ingest(batch, file, reader, reader.Read(file, state.Lines), state.Lines, () => reader.Lines, (s, lines) => s.Lines = lines, message =>
        {
            Add(batch, message, observed);
            state.Messages++;
            state.Trees += message.ParentId is null ? 1 : 0;
            state.Ranked += message.Rank is null ? 0 : 1;
        }, reporter, cancellationToken);
    }

    private static void Add(CheckpointedBatch<FileState> batch, OasstMessage m, DateTimeOffset observed)
    {
        var created = m.Created ?? DateTimeOffset.UnixEpoch;
        var author = m.UserId ?? "";
        if (m.ParentId is null)
        {
            var firstLine = m.Text.Split('\n', 2)[0].Trim();
            batch.Add(Forum, new Post(m.TreeId, firstLine.Length > 120 ? firstLine[..117] + "..." : firstLine, m.Text, author, m.Score,
                null, created, null, false, true, null, null, 0) { Meta = m.Meta() }, observed);
            return;
        }
        // Replies to the first prompt are top-level (depth 0); deeper depths come from the tree layout, or are settled
        // from the parent links after the ingest (the flat layout).
        var depth = m.ParentId == m.TreeId ? 0 : m.Level is { } level ? level - 1 : -1;
        batch.Add(Forum, new Comment(m.Id, m.TreeId, m.ParentId, depth, m.Text, author, m.Score, created, null, null, false, false)
            { Meta = m.Meta() }, observed);
    }
}
