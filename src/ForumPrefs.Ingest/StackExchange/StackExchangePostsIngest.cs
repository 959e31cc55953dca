using ForumPrefs.Sources.StackExchange;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest.StackExchange;

/// <summary>
/// Streams Stack Exchange Posts.xml files into the store, committing every few thousand rows with a checkpoint of the
/// rows done and the skip counts, so a killed ingest resumes where it stopped. Progress is reported in files.
/// </summary>
public static class StackExchangePostsIngest
{
    public const string Source = "stackexchange-dump";
    private const int BatchRows = 5_000;

    public sealed class FileState : IngestState
    {
        public long Rows { get; set; }
        public long Questions { get; set; }
        public long Answers { get; set; }
    }

    /// <param name="observed">When the dump's scores were read; defaults to each file's modification time.</param>
    public static IReadOnlyList<FileResult<FileState>> Run(ForumStore store, IReadOnlyList<string> files, string site, DateTimeOffset? observed,
        IngestReporter reporter, CancellationToken cancellationToken) =>
        CheckpointedFiles.Run<FileState>(store, Source, files, $"|site={site.ToLowerInvariant()}", BatchRows, reporter,
            (batch, file) => Ingest(batch, file, site, CheckpointedFiles.Observed(file, observed), cancellationToken));

    private static void Ingest(CheckpointedBatch<FileState> batch, string file, string site, DateTimeOffset observed,
        CancellationToken cancellationToken)
    {
        var state = batch.State;
        var reader = new PostsXmlReader(site);
        foreach (var (kind, count) in state.Skipped)
            reader.Skipped[kind] = count;

        void Commit(long rows)
        {
            state.Rows = rows;
            state.Skipped = new Dictionary<string, long>(reader.Skipped);
            batch.Commit();
        }

        var lastRow = state.Rows;
        foreach (var item in reader.Read(file, state.Rows))
        {
            lastRow = item.Row;
            if (item.Question is { } question)
            {
                batch.Add(reader.Forum, question, observed);
                state.Questions++;
            }
            else if (item.Answer is { } answer)
            {
                batch.Add(reader.Forum, answer, observed);
                state.Answers++;
            }
            if (item.Row % BatchRows == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Commit(item.Row);
            }
        }
        state.Done = true;
        Commit(lastRow);
    }
}
