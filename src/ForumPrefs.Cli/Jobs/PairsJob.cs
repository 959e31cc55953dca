using ForumPrefs.Cli.Output;
using ForumPrefs.Pairing;
using ForumPrefs.Pairing.Screens;
using ForumPrefs.Store;

namespace ForumPrefs.Cli.Jobs;

/// <summary>Rebuilds the pairs of every selected forum (one run per policy and forum, replaced whole).</summary>
internal static class PairsJob
{
    public static async Task<IReadOnlyList<(string Policy, PairingJob.Result Result)>> RunAsync(CliIO io, ForumStore store,
        PairingPlan settings, CancellationToken cancellationToken)
    {
        var forums = settings.Select(store.Forums());
        var results = new List<(string, PairingJob.Result)>();
        // Near-duplicates are found over the whole store, so question clusters hold across forums and across runs.
        PairingScreens? screens = null;
        await ProgressDisplay.RunAsync(io, "near-duplicates", store.Forums().Sum(store.PostCount), "posts", progress =>
        {
            screens = PairingScreens.Build(store, settings, done =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress.Report(done);
            });
            return Task.CompletedTask;
        });
        foreach (var forum in forums)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var policy = settings.PolicyFor(forum);
            var posts = store.PostCount(forum);
            PairingJob.Result? result = null;
            await ProgressDisplay.RunAsync(io, $"pairs {forum}", posts, "posts", progress =>
            {
                result = PairingJob.Run(store, forum, policy, screens!, done =>
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress.Report(done);
                });
                return Task.CompletedTask;
            });
            results.Add((policy.Name, result!));
        }
        return results;
    }

    /// <summary>The comparisons of the common-window runs just built (see <see cref="PolicyComparisons"/>).</summary>
    public static IReadOnlyList<PairComparison> Comparisons(ForumStore store, IReadOnlyList<(string Policy, PairingJob.Result Result)> results)
    {
        var runs = PairRunWriter.List(store);
        return PolicyComparisons.ForWindowRuns(store, results.Select(r => runs.Single(x => x.Policy == r.Policy && x.Forum == r.Result.Forum)));
    }
}
