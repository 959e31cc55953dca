using ForumPrefs.Core;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Store;

namespace ForumPrefs.Ingest;

/// <summary>
/// Streams Reddit dump files into the store. Each batch commits with a checkpoint holding the file's offset and its
/// skip counts, so a killed ingest restarts at its last committed line and ends with the same store and the same
/// report as an uninterrupted run. Progress is reported in MB over all files.
/// </summary>
public static class RedditDumpIngest
{
    public const string Source = "reddit-dump";
    private const int BatchItems = 20_000;

    public sealed record Filters(SubredditFilter? Subreddits, DateTimeOffset? Since, DateTimeOffset? Until)
    {
        public string Fingerprint => $"subreddits={string.Join(",", Subreddits?.Names.Order() ?? Enumerable.Empty<string>())};since={Since:O};until={Until:O}";
    }

    /// <summary>What is known about one file, kept as the checkpoint's state.</summary>
    public sealed class FileState : IngestState
    {
        public DumpFileIdentity? Identity { get; set; }
        public long Offset { get; set; }
        public long Lines { get; set; }
        public long Posts { get; set; }
        public long Comments { get; set; }
        /// <summary>Records kept with a score or count beyond 32 bits clamped to fit.</summary>
        public long ClampedScores { get; set; }
    }

    public sealed record Result(IReadOnlyList<FileResult<FileState>> Files, DepthReport Depths);

    public static Result Run(ForumStore store, IReadOnlyList<string> files, Filters filters, IngestReporter reporter,
        CancellationToken cancellationToken)
    {
        var results = new List<FileResult<FileState>>();
        long totalMb = Math.Max(1, files.Sum(f => new FileInfo(f).Length) >> 20);
        long doneBytes = 0;
        foreach (var file in files)
        {
            // Keyed by the file's content, not its path: a moved file is still known, and a file replaced by a
            // longer copy (a truncated download completed) resumes where the earlier copy ended.
            var identity = DumpFileIdentity.Of(file);
            var batch = new CheckpointedBatch<FileState>(store, Source, $"{identity.Head}|{filters.Fingerprint}", BatchItems);
            if (batch.State.Identity is { } known && (known.Size != identity.Size || known.Tail != identity.Tail))
                batch.State = Changed(reporter, file, batch.State, identity);
            batch.State.Identity = identity;
            var alreadyDone = batch.State.Done;
            if (!alreadyDone)
            {
                if (batch.State.Offset > 0)
                    reporter.Notice($"resuming {Path.GetFileName(file)} at byte {batch.State.Offset:N0}");
                var before = doneBytes;
                IngestFile(reporter, batch, file, filters, done => reporter.Progress.Report(new((before + done) >> 20, totalMb)), cancellationToken);
            }
            doneBytes += new FileInfo(file).Length;
            reporter.Progress.Report(new(doneBytes >> 20, totalMb));
            results.Add(new FileResult<FileState>(file, batch.State, alreadyDone));
        }
        return new Result(results, store.ResolveDepths());
    }

    /// <summary>The same file (same first megabyte) with other content since it was read.</summary>
    private static FileState Changed(IngestReporter reporter, string file, FileState state, DumpFileIdentity now)
    {
        var name = Path.GetFileName(file);
        if (now.Size < state.Identity!.Size)
        {
            reporter.Notice($"{name} changed since it was read ({state.Identity.Size:N0} → {now.Size:N0} bytes): reading it again from the start");
            return new FileState();
        }
        // Longer with the same start: the earlier copy was cut short. What it gave stays; the cut is no longer a skip.
        reporter.Notice($"{name} changed since it was read ({state.Identity.Size:N0} → {now.Size:N0} bytes): " +
            $"resuming at byte {state.Offset:N0} of its content, where the earlier copy ended");
        state.Done = false;
        state.Skipped.Remove(SkipKind.TruncatedZstd.Name());
        state.Examples.RemoveAll(e => e.Contains(SkipKind.TruncatedZstd.Name(), StringComparison.Ordinal));
        return state;
    }

    private static void IngestFile(IngestReporter reporter, CheckpointedBatch<FileState> batch, string file, Filters filters,
        Action<long> progress, CancellationToken cancellationToken)
    {
        var state = batch.State;
        using var reader = new DumpLineReader(file);
        reader.SkipTo(state.Offset);
        var name = Path.GetFileName(file);

        void Commit()
        {
            cancellationToken.ThrowIfCancellationRequested();
            state.Offset = reader.Position;
            batch.Commit();
            progress(reader.FilePosition);
        }

        void Skip(SkipKind kind, long offset, string problem)
        {
            if (state.Skip(kind.Name(), $"{name} at byte {offset:N0}: {kind.Name()}: {problem}") is { } example)
                reporter.Notice($"skipped {example}");
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
                batch.Add(item.Forum, post, item.Observed);
                state.Posts++;
            }
            else
            {
                batch.Add(item.Forum, item.Comment!, item.Observed);
                state.Comments++;
            }
            if (batch.Full)
            {
                sinceLines = 0;
                Commit();
            }
        }
        if (reader.Failure is { } failure)
            Skip(SkipKind.TruncatedZstd, reader.Position, failure);
        for (var i = 0; i < reader.TooLongLines; i++)
            Skip(SkipKind.LineTooLong, i < reader.TooLongLineOffsets.Count ? reader.TooLongLineOffsets[i] : reader.Position,
                $"a line longer than {reader.MaxLineBytes:N0} bytes");
        state.Offset = reader.Position;
        batch.Complete();
        progress(reader.FilePosition);
    }
}
