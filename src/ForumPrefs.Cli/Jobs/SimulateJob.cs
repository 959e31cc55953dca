using ForumPrefs.Cli.Output;
using ForumPrefs.Core;
using ForumPrefs.Sources.Simulation;
using ForumPrefs.Store;
using System.Globalization;

namespace ForumPrefs.Cli.Jobs;

/// <summary>
/// Writes simulated threads 0..posts-1 into the store in batches; each batch commits with a checkpoint
/// holding the next index, so a killed run resumes where it stopped and never writes a thread twice.
/// A re-crawl reads the same threads later, so changed scores land in score_snapshots.
/// </summary>
internal static class SimulateJob
{
    public sealed record Result(int From, int To, long Comments);

    public static async Task<Result> RunAsync(CliIO io, ForumStore store, SimulatorSettings settings, int posts,
        int batchSize, double recrawlAfterHours, CancellationToken cancellationToken)
    {
        var simulator = new ForumSimulator(settings);
        var key = recrawlAfterHours > 0 ? $"{settings.Fingerprint};recrawl={recrawlAfterHours}h" : settings.Fingerprint;
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
                batch.AddRange(simulator.Threads(start, end, recrawlAfterHours));
                comments += batch.Sum(thread => thread.Comments.Count);
                store.WriteThreads(batch, new Checkpoint(SimulatorSettings.SourceName, key,
                    end.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow));
                progress.Report(end - from);
            }
            return Task.CompletedTask;
        });
        return new Result(from, Math.Max(from, posts), comments);
    }
}
