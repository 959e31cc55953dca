using ForumPrefs.Cli.Output;
using ForumPrefs.Core;
using ForumPrefs.Sources.StackExchange;
using ForumPrefs.Store;
using System.Text.Json;

namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// Streams Stack Exchange Posts.xml files into the store, committing every few thousand rows with a checkpoint of the
/// rows done and the skip counts, so a killed ingest resumes where it stopped.
/// </summary>
internal static class StackExchangeIngestJob
{
    public const string Source = "stackexchange-dump";
    private const int BatchRows = 5_000;
    private static readonly JsonSerializerOptions Json = JsonDefaults.SnakeCase;

    public sealed class FileState
    {
        public long Rows { get; set; }
        public long Questions { get; set; }
        public long Answers { get; set; }
        public bool Done { get; set; }
        public Dictionary<string, long> Skipped { get; set; } = [];
    }

    public sealed record FileResult(string File, FileState State, bool AlreadyDone);

    /// <param name="observed">When the dump's scores were read; defaults to the file's modification time.</param>
    public static async Task<IReadOnlyList<FileResult>> RunAsync(CliIO io, ForumStore store, IReadOnlyList<string> files, string site,
        DateTimeOffset? observed, CancellationToken cancellationToken)
    {
        var results = new List<FileResult>();
        await ProgressDisplay.RunAsync(io, $"ingest {site}", files.Count, "files", progress =>
        {
            foreach (var file in files)
            {
                // Keyed by the file's content (its first megabyte), as dump files are: a moved file is still known.
                var key = $"{ForumPrefs.Sources.RedditDump.DumpFileIdentity.Of(file).Head}|site={site.ToLowerInvariant()}";
                var saved = store.GetCheckpoint(Source, key);
                var state = saved is null ? new FileState() : JsonSerializer.Deserialize<FileState>(saved.State, Json)!;
                if (!state.Done)
                    Ingest(store, file, key, site, state, observed ?? new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero), cancellationToken);
                results.Add(new FileResult(file, state, saved is not null && JsonSerializer.Deserialize<FileState>(saved.State, Json)!.Done));
                progress.Report(results.Count);
            }
            return Task.CompletedTask;
        });
        return results;
    }

    private static void Ingest(ForumStore store, string file, string key, string site, FileState state, DateTimeOffset observed,
        CancellationToken cancellationToken)
    {
        var reader = new PostsXmlReader(site);
        foreach (var (kind, count) in state.Skipped)
            reader.Skipped[kind] = count;
        var posts = new List<(Forum, Post, DateTimeOffset)>();
        var answers = new List<(Forum, Comment, DateTimeOffset)>();

        void Commit(long rows)
        {
            state.Rows = rows;
            state.Skipped = new Dictionary<string, long>(reader.Skipped);
            store.WriteItems(posts, answers, new Checkpoint(Source, key, JsonSerializer.Serialize(state, Json), DateTimeOffset.UtcNow));
            posts.Clear();
            answers.Clear();
        }

        var lastRow = state.Rows;
        foreach (var item in reader.Read(file, state.Rows))
        {
            lastRow = item.Row;
            if (item.Question is { } question)
            {
                posts.Add((reader.Forum, question, observed));
                state.Questions++;
            }
            else if (item.Answer is { } answer)
            {
                answers.Add((reader.Forum, answer, observed));
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
