using ForumPrefs.Cli.Output;
using ForumPrefs.Core;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Store;
using System.Text.Json;

namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// Streams Reddit dump files into the store. Each batch commits with a checkpoint holding the file's offset and its
/// skip counts, so a killed ingest restarts at its last committed line and ends with the same store and the same
/// report as an uninterrupted run.
/// </summary>
internal static class DumpIngestJob
{
    public const string Source = "reddit-dump";
    private const int BatchItems = 20_000;
    private const int ExamplesPerFile = 5;

    public sealed record Filters(SubredditFilter? Subreddits, DateTimeOffset? Since, DateTimeOffset? Until)
    {
        public string Fingerprint => $"subreddits={string.Join(",", Subreddits?.Names.Order() ?? Enumerable.Empty<string>())};since={Since:O};until={Until:O}";
    }

    /// <summary>What is known about one file, kept as the checkpoint's state.</summary>
    public sealed class FileState
    {
        public DumpFileIdentity? Identity { get; set; }
        public long Offset { get; set; }
        public long Lines { get; set; }
        public long Posts { get; set; }
        public long Comments { get; set; }
        public bool Done { get; set; }
        /// <summary>Records kept with a score or count beyond 32 bits clamped to fit.</summary>
        public long ClampedScores { get; set; }
        public Dictionary<string, long> Skipped { get; set; } = [];
        public List<string> Examples { get; set; } = [];
    }

    public sealed record FileResult(string File, FileState State, bool AlreadyDone);

    private static readonly JsonSerializerOptions Json = JsonDefaults.SnakeCase;

    public static async Task<IReadOnlyList<FileResult>> RunAsync(CliIO io, ForumStore store, IReadOnlyList<string> files,
        Filters filters, CancellationToken cancellationToken)
    {
        var results = new List<FileResult>();
        long totalMb = Math.Max(1, files.Sum(f => new FileInfo(f).Length) >> 20);
        long doneBytes = 0;
        await ProgressDisplay.RunAsync(io, "ingest", totalMb, "MB", progress =>
        {
            foreach (var file in files)
            {
                // Keyed by the file's content, not its path: a moved file is still known, and a file replaced by a
                // longer copy (a truncated download completed) resumes where the earlier copy ended.
                var identity = DumpFileIdentity.Of(file);
                var key = $"{identity.Head}|{filters.Fingerprint}";
                var saved = store.GetCheckpoint(Source, key);
                var state = saved is null ? new FileState() : JsonSerializer.Deserialize<FileState>(saved.State, Json)!;
                if (state.Identity is { } known && (known.Size != identity.Size || known.Tail != identity.Tail))
                    state = Changed(io, file, state, identity);
                state.Identity = identity;
                if (state.Done)
                {
                    results.Add(new FileResult(file, state, true));
                    doneBytes += new FileInfo(file).Length;
                    continue;
                }
                if (state.Offset > 0)
                    io.Error.WriteLine($"resuming {Path.GetFileName(file)} at byte {state.Offset:N0}");
                IngestFile(io, store, file, key, state, filters, done => progress.Report((doneBytes + done) >> 20), cancellationToken);
                doneBytes += new FileInfo(file).Length;
                results.Add(new FileResult(file, state, false));
            }
            return Task.CompletedTask;
        });
        var depths = store.ResolveDepths();
        if (depths.Resolved > 0)
            io.Error.WriteLine($"linked {depths.Resolved:N0} replies to their parents");
        if (depths.Waiting > 0)
            io.Error.WriteLine($"{depths.Waiting:N0} replies wait for a parent not ingested yet (a later file may bring it)");
        if (depths.InCycles > 0)
            io.Error.WriteLine($"{depths.InCycles:N0} replies sit in parent loops (corrupt data): stored with depth -2, never paired");
        return results;
    }

    /// <summary>The same file (same first megabyte) with other content since it was read.</summary>
    private static FileState Changed(CliIO io, string file, FileState state, DumpFileIdentity now)
    {
        var name = Path.GetFileName(file);
        if (now.Size < state.Identity!.Size)
        {
            io.Error.WriteLine($"{name} changed since it was read ({state.Identity.Size:N0} → {now.Size:N0} bytes): reading it again from the start");
            return new FileState();
        }
        // Longer with the same start: the earlier copy was cut short. What it gave stays; the cut is no longer a skip.
        io.Error.WriteLine($"{name} changed since it was read ({state.Identity.Size:N0} → {now.Size:N0} bytes): " +
            $"resuming at byte {state.Offset:N0} of its content, where the earlier copy ended");
        state.Done = false;
        state.Skipped.Remove(SkipKind.TruncatedZstd.Name());
        state.Examples.RemoveAll(e => e.Contains(SkipKind.TruncatedZstd.Name(), StringComparison.Ordinal));
        return state;
    }

    private static void IngestFile(CliIO io, ForumStore store, string file, string key, FileState state, Filters filters,
        Action<long> progress, CancellationToken cancellationToken)
    {
        using var reader = new DumpLineReader(file);
        reader.SkipTo(state.Offset);
        var posts = new List<(Forum, Post, DateTimeOffset)>();
        var comments = new List<(Forum, Comment, DateTimeOffset)>();
        var name = Path.GetFileName(file);

        void Commit()
        {
            state.Offset = reader.Position;
            store.WriteItems(posts, comments, new Checkpoint(Source, key, JsonSerializer.Serialize(state, Json), DateTimeOffset.UtcNow));
            posts.Clear();
            comments.Clear();
            progress(reader.FilePosition);
        }

        void Skip(SkipKind kind, long offset, string problem)
        {
            state.Skipped[kind.Name()] = state.Skipped.GetValueOrDefault(kind.Name()) + 1;
            if (state.Examples.Count >= ExamplesPerFile)
                return;
            var example = $"{name} at byte {offset:N0}: {kind.Name()}: {problem}";
            state.Examples.Add(example);
            io.Error.WriteLine($"skipped {example}");
        }

        var sinceLines = 0;
        while (reader.TryRead(out var line, out var offset))
        {
            state.Lines++;
            if (filters.Subreddits is { } wanted && !wanted.MayMatch(line))
            {
                if (++sinceLines >= 200_000)
                {
                    // Filter-only stretches still checkpoint now and then, so a resume does not redo them.
                    sinceLines = 0;
                    cancellationToken.ThrowIfCancellationRequested();
                    Commit();
                }
                continue;
            }
            DumpLineParser.Result parsed;
            try
            {
                parsed = DumpLineParser.Parse(line);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or InvalidOperationException)
            {
                // No single line may stop a file: whatever the parser did not foresee is a counted skip too.
                parsed = DumpLineParser.Result.Skip(SkipKind.Unreadable, ex.Message);
            }
            if (parsed.Item is not { } item)
            {
                Skip(parsed.Kind, offset + parsed.PositionInLine, parsed.Problem!);
                continue;
            }
            if (parsed.ScoreClamped)
                state.ClampedScores++;
            if (filters.Subreddits is { } names && !names.Names.Contains(item.Forum.Name))
                continue;
            var created = item.Post?.Created ?? item.Comment!.Created;
            if (created < filters.Since || created >= filters.Until)
                continue;
            if (item.Post is { } post)
            {
                posts.Add((item.Forum, post, item.Observed));
                state.Posts++;
            }
            else
            {
                comments.Add((item.Forum, item.Comment!, item.Observed));
                state.Comments++;
            }
            if (posts.Count + comments.Count >= BatchItems)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sinceLines = 0;
                Commit();
            }
        }
        if (reader.Failure is { } failure)
            Skip(SkipKind.TruncatedZstd, reader.Position, failure);
        for (var i = 0; i < reader.TooLongLines; i++)
            Skip(SkipKind.LineTooLong, i < reader.TooLongLineOffsets.Count ? reader.TooLongLineOffsets[i] : reader.Position,
                $"a line longer than {reader.MaxLineBytes:N0} bytes");
        state.Done = true;
        Commit();
    }
}
