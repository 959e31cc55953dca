using ForumPrefs.Core;
using ForumPrefs.Sources.Simulation;
using ForumPrefs.Store;
using System.Globalization;

namespace ForumPrefs.Ingest.Simulation;

/// <summary>
/// Writes simulated threads 0..posts-1 into the store in batches; each batch commits with a checkpoint holding the
/// next index, so a killed run resumes where it stopped and never writes a thread twice. A re-crawl reads the same
/// threads later, so changed scores land in score_snapshots. With a timeline, each answer's score every few hours is
/// written too (the vote timelines the common-window policy compares). Progress is reported in posts.
/// </summary>
public static class SimulationIngest
{
    public sealed class SimulationState : IngestState
    {
        /// <summary>The index of the next thread to write.</summary>
        public int Next { get; set; }
    }

    public sealed record Result(int From, int To, long Comments);

    public static Result Run(ForumStore store, SimulatorSettings settings, int posts, int batchSize, double recrawlAfterHours,
        double timelineHours, IngestReporter reporter, CancellationToken cancellationToken)
    {
        var simulator = new ForumSimulator(settings);
        var key = (recrawlAfterHours > 0 ? $"{settings.Fingerprint};recrawl={recrawlAfterHours}h" : settings.Fingerprint)
                  + (timelineHours > 0 ? $";timeline={timelineHours}h" : "");
        // Stores written before checkpoints were JSON hold the next index as a bare number.
        var legacy = store.GetCheckpoint(SimulatorSettings.SourceName, key) is { } saved && int.TryParse(saved.State, CultureInfo.InvariantCulture, out var next)
            ? next : (int?)null;
        var batch = new CheckpointedBatch<SimulationState>(store, SimulatorSettings.SourceName, key, batchSize, fresh: legacy is not null);
        if (legacy is { } index)
            batch.State.Next = index;
        var from = batch.State.Next;
        if (from > 0 && from < posts)
            reporter.Notice($"resuming simulation at post {from:N0} of {posts:N0}");
        long comments = 0;
        for (var start = from; start < posts; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(start + batchSize, posts);
            for (var i = start; i < end; i++)
            {
                if (timelineHours <= 0)
                {
                    var plain = simulator.Thread(i, recrawlAfterHours);
                    batch.Add(plain);
                    comments += plain.Comments.Count;
                    continue;
                }
                var (thread, timeline) = simulator.WithTimeline(i, timelineHours, recrawlAfterHours);
                batch.Add(thread);
                comments += thread.Comments.Count;
                foreach (var t in timeline)
                    batch.Add(thread.Forum, new ScoreSighting(false, t.PostId, t.CommentId, t.At, t.Score));
            }
            // The threads first, then their timelines with the checkpoint: a kill between them redoes the batch.
            batch.State.Next = end;
            batch.Commit();
            reporter.Progress.Report(new(end - from, Math.Max(posts - from, 0)));
        }
        return new Result(from, Math.Max(from, posts), comments);
    }
}
