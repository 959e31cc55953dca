using ForumPrefs.Core;
using ForumPrefs.Sources.RedditDump;
using ForumPrefs.Store;
using System.Runtime.CompilerServices;

namespace ForumPrefs.Ingest.RedditDump;

/// <summary>
/// Streams Reddit dump files into the store. Each batch commits with a checkpoint holding the file's offset and its
/// skip counts, so a killed ingest restarts at its last committed line and ends with the same store and the same
/// report as an uninterrupted run. Progress is reported in MB over all files.
/// </summary>
public static class RedditDumpIngest
{
    public const string Source = "reddit-dump";
    private const int BatchItems = 20_000;
    // Batches reach the writer in parts of this many items: the reader's objects then die young (a whole batch in
    // flight kept 60,000 items alive through every collection, and the heap grew with the file), while the store
    // still commits once per batch.
    private const int ChunkItems = 1_000;
    // Parts that may wait for the writer, per reader: while the writer commits a batch (its WAL writes, a checkpoint),
    // the readers go on parsing instead of waiting. 8 instead of 2: the 1 GB modern ingest 2.97 -> 2.80 s, the 524 MB
    // 2015 one 3.27 -> 3.13 s (medians of alternated runs), for about 40 MB more at the peak, which the store's smaller
    // page cache gives back (docs/benchmarks.md).
    private const int PartsInFlightPerReader = 8;

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
        /// <summary>Records whose times were written in Unix milliseconds (read as such).</summary>
        public long MillisecondTimes { get; set; }
    }

    public sealed record Result(IReadOnlyList<FileResult<FileState>> Files, DepthReport Depths);

    /// <param name="jobs">Files read, decompressed and parsed at once; one writer stores their batches as they come.</param>
    /// <param name="decoder">The zstd decoder of .zst files (the results are the same; the speed is not).</param>
    public static Result Run(ForumStore store, IReadOnlyList<string> files, Filters filters, IngestReporter reporter,
        CancellationToken cancellationToken, int jobs = 1, ZstdDecoder decoder = ZstdDecoder.Auto)
    {
        // Opened once, up front: a pipe's identity is its first megabyte, which its reader then replays.
        var inputs = new List<DumpInput>();
        try
        {
            foreach (var file in files)
                inputs.Add(DumpInput.Open(file));
            return Run(store, files, inputs, filters, reporter, cancellationToken, jobs, decoder);
        }
        finally
        {
            foreach (var input in inputs)
                input.Dispose();
        }
    }

    private static Result Run(ForumStore store, IReadOnlyList<string> files, IReadOnlyList<DumpInput> inputs, Filters filters,
        IngestReporter reporter, CancellationToken cancellationToken, int jobs, ZstdDecoder decoder)
    {
        var sizes = inputs.Select(input => input.Size).ToArray();
        var totalMb = Math.Max(1, sizes.Sum() >> 20);
        var positions = new long[files.Count]; // bytes of each file committed so far
        var batches = new List<CheckpointedBatch<FileState>>();
        var alreadyDone = new bool[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            // Keyed by the file's content, not its path: a moved file is still known, and a file replaced by a
            // longer copy (a truncated download completed) resumes where the earlier copy ended.
            var identity = inputs[i].Identity();
            var batch = new CheckpointedBatch<FileState>(store, Source, $"{identity.Head}|{filters.Fingerprint}", BatchItems);
            if (batch.State.Identity is { } known && (known.Size != identity.Size || known.Tail != identity.Tail))
                batch.State = Changed(reporter, files[i], batch.State, identity);
            batch.State.Identity = identity;
            alreadyDone[i] = batch.State.Done;
            positions[i] = alreadyDone[i] ? sizes[i] : 0;
            if (!alreadyDone[i] && batch.State.Offset > 0)
                reporter.Notice($"resuming {Path.GetFileName(files[i])} at byte {batch.State.Offset:N0}");
            batches.Add(batch);
        }

        void Write(int file, PendingCommit commit, long position)
        {
            commit.WriteTo(store);
            positions[file] = position;
            reporter.Progress.Report(new(positions.Sum() >> 20, totalMb));
        }
        var pending = Enumerable.Range(0, files.Count).Where(i => !alreadyDone[i]).ToList();
        using var windows = DumpLineReader.ShareWindows();
        using var checkpoints = store.CheckpointInBackground(); // the writer, the busiest thread, does not stop to copy the log
        // Even one reader runs beside the writer: it parses the next batch while this thread stores the last one.
        if (pending.Count > 0)
            IngestInParallel(pending, Math.Max(1, jobs), batches, inputs, filters, decoder, reporter, Write, cancellationToken);
        for (var i = 0; i < files.Count; i++)
            positions[i] = sizes[i];
        reporter.Progress.Report(new(positions.Sum() >> 20, totalMb));
        var results = files.Select((file, i) => new FileResult<FileState>(file, batches[i].State, alreadyDone[i])).ToList();
        return new Result(results, store.ResolveDepths());
    }

    /// <summary>
    /// Up to <paramref name="jobs"/> files read at once, each by its own reader; their batches reach this thread through
    /// a bounded channel and are written here, one at a time. Each file's checkpoint moves only with its own batches, and
    /// the store's merge does not depend on the order batches arrive, so the store ends as a one-worker run leaves it.
    /// </summary>
    private static void IngestInParallel(IReadOnlyList<int> pending, int jobs, IReadOnlyList<CheckpointedBatch<FileState>> batches,
        IReadOnlyList<DumpInput> files, Filters filters, ZstdDecoder decoder, IngestReporter reporter, Action<int, PendingCommit, long> write,
        CancellationToken cancellationToken)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<(int File, PendingCommit Commit, long Position)>(PartsInFlightPerReader * jobs);
        var gate = new object();
        var notices = new IngestReporter(reporter.Progress, message => { lock (gate) reporter.Notice(message); });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;
        // Each reader on its own thread, not the pool's: readers and their decompressors block, and with --jobs N they
        // were 2N blocking pool threads on a pool that starts with one per core and adds one every half second.
        var readers = Enumerable.Range(0, Math.Min(jobs, pending.Count)).Select(_ => Task.Factory.StartNew(() =>
        {
            for (var n = Interlocked.Increment(ref next); n < pending.Count; n = Interlocked.Increment(ref next))
            {
                var file = pending[n];
                IngestFile(notices, batches[file], files[file], filters, decoder,
                    (commit, position) => channel.Writer.WriteAsync((file, commit, position), stop.Token).AsTask().GetAwaiter().GetResult(),
                    stop.Token);
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var all = Task.WhenAll(readers).ContinueWith(t =>
        {
            channel.Writer.Complete(t.Exception?.InnerException);
            DumpLineReader.ReleaseSharedWindows(); // no file is left to decode: the window goes while the writer finishes
        }, TaskScheduler.Default);
        try
        {
            // The writer: this thread, the only one that touches the store.
            while (channel.Reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                while (channel.Reader.TryRead(out var item))
                {
                    lock (gate)
                        write(item.File, item.Commit, item.Position);
                }
        }
        catch (Exception) when (Stop(stop, all, readers) is { } readerFailure)
        {
            // A reader failed first (its error closed the channel): that error is the one to report.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(readerFailure);
        }
        finally
        {
            stop.Cancel(); // a failed write or Ctrl+C stops the readers; what was written stays, each file at its last checkpoint
            all.Wait(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Stops the readers and returns the first one's own failure, if one failed other than by being stopped.</summary>
    private static Exception? Stop(CancellationTokenSource stop, Task all, Task[] readers)
    {
        stop.Cancel();
        all.Wait(TimeSpan.FromSeconds(30));
        return readers.Where(r => r.IsFaulted).Select(r => r.Exception!.InnerException).FirstOrDefault(e => e is not OperationCanceledException);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void IngestFile(IngestReporter reporter, CheckpointedBatch<FileState> batch, DumpInput file, Filters filters,
        ZstdDecoder decoder, Action<PendingCommit, long> emit, CancellationToken cancellationToken)
    {
        var state = batch.State;
        using var reader = new DumpLineReader(file, decoder: decoder);
        reader.SkipTo(state.Offset);
        var name = Path.GetFileName(file.Path);

        void Commit()
        {
            cancellationToken.ThrowIfCancellationRequested();
            state.Offset = reader.Position;
            emit(batch.Take(), reader.FilePosition);
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
            if (parsed.MillisecondTimes)
                state.MillisecondTimes++;
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
            else if (batch.Pending >= ChunkItems)
                emit(batch.TakeChunk(), reader.FilePosition);
        }
        if (reader.Failure is { } failure)
            Skip(SkipKind.TruncatedZstd, reader.Position, failure);
        for (var i = 0; i < reader.TooLongLines; i++)
            Skip(SkipKind.LineTooLong, i < reader.TooLongLineOffsets.Count ? reader.TooLongLineOffsets[i] : reader.Position,
                $"a line longer than {reader.MaxLineBytes:N0} bytes");
        state.Offset = reader.Position;
        state.Done = true;
        emit(batch.Take(), reader.FilePosition);
    }
}
