using ForumPrefs.Cli.Output;
using ForumPrefs.Core;
using ForumPrefs.Sources.Simulation;
using ForumPrefs.Store;
using System.Globalization;

namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// Writes simulated threads 0..posts-1 into the store in batches; each batch commits with a checkpoint
/// holding the next index, so a killed run resumes where it stopped and never writes a thread twice.
/// A re-crawl reads the same threads later, so changed scores land in score_snapshots. With a timeline, each answer's
/// score every few hours is written too (the vote timelines the common-window policy compares).
/// </summary>
internal static class SimulateJob
{
    public sealed record Result(int From, int To, long Comments);

    public static async Task<Result> RunAsync(CliIO io, ForumStore store, SimulatorSettings settings, int posts,
        int batchSize, double recrawlAfterHours, double timelineHours, CancellationToken cancellationToken)
    {
        var simulator = new ForumSimulator(settings);
        var key = (recrawlAfterHours > 0 ? $"{settings.Fingerprint};recrawl={recrawlAfterHours}h" : settings.Fingerprint)
                  + (timelineHours > 0 ? $";timeline={timelineHours}h" : "");
        var saved = store.GetCheckpoint(SimulatorSettings.SourceName, key);
        var from = saved is null ? 0 : int.Parse(saved.State, CultureInfo.InvariantCulture);
        if (from > 0 && from < posts)
            io.Error.WriteLine($"resuming simulation at post {from:N0} of {posts:N0}");
        long comments = 0;
        await ProgressDisplay.RunAsync(io, "simulate", Math.Max(posts - from, 0), "posts", progress =>
        {
            var batch = new List<ForumThread>(batchSize);
            for (var start = from; start < posts; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var end = Math.Min(start + batchSize, posts);
                batch.Clear();
                var sightings = new List<(Forum Forum, ScoreSighting Sighting)>();
                for (var index = start; index < end; index++)
                {
                    if (timelineHours <= 0)
                    {
                        batch.Add(simulator.Thread(index, recrawlAfterHours));
                        continue;
                    }
                    var (thread, timeline) = simulator.WithTimeline(index, timelineHours, recrawlAfterHours);
                    batch.Add(thread);
                    sightings.AddRange(timeline.Select(t => (thread.Forum, new ScoreSighting(false, t.PostId, t.CommentId, t.At, t.Score))));
                }
                comments += batch.Sum(thread => thread.Comments.Count);
                var checkpoint = new Checkpoint(SimulatorSettings.SourceName, key, end.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
                // The threads first, then their timelines with the checkpoint: a kill between them redoes the batch.
                store.WriteThreads(batch, sightings.Count == 0 ? checkpoint : null);
                var groups = sightings.GroupBy(s => s.Forum).ToList();
                for (var g = 0; g < groups.Count; g++)
                    store.WriteSightings(groups[g].Key, groups[g].Select(s => s.Sighting), g == groups.Count - 1 ? checkpoint : null);
                progress.Report(end - from);
            }
            return Task.CompletedTask;
        });
        return new Result(from, Math.Max(from, posts), comments);
    }
}
