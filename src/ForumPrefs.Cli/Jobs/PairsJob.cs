using ForumPrefs.Cli.Output;
using ForumPrefs.Pairing;
using ForumPrefs.Store;

namespace ForumPrefs.Cli.Jobs;

/// <summary>Rebuilds the pairs of every selected forum (one run per policy and forum, replaced whole).</summary>
internal static class PairsJob
{
    public static async Task<IReadOnlyList<(string Policy, PairingJob.Result Result)>> RunAsync(CliIO io, ForumStore store,
        PairingSettings settings, CancellationToken cancellationToken)
    {
        var forums = settings.Select(CandidateReader.Forums(store));
        var results = new List<(string, PairingJob.Result)>();
        foreach (var forum in forums)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var policy = settings.PolicyFor(forum);
            var posts = Sql.Count(store, "SELECT count(*) FROM posts WHERE forum_id = (SELECT id FROM forums WHERE source = $a AND name = $b)", forum.Source, forum.Name);
            PairingJob.Result? result = null;
            await ProgressDisplay.RunAsync(io, $"pairs {forum}", posts, "posts", progress =>
            {
                result = PairingJob.Run(store, forum, policy, settings.Splits, done =>
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

    /// <summary>Each common-window run next to the other runs of its forum (which pairs it adds, where they agree).</summary>
    public static IReadOnlyList<PairComparison> Comparisons(ForumStore store, IReadOnlyList<(string Policy, PairingJob.Result Result)> results)
    {
        var runs = PairRunWriter.List(store);
        return Comparisons(store, results.Select(r => runs.Single(x => x.Policy == r.Policy && x.Forum == r.Result.Forum)).ToList());
    }

    public static IReadOnlyList<PairComparison> Comparisons(ForumStore store, IReadOnlyList<PairRun> chosen)
    {
        var runs = PairRunWriter.List(store);
        return chosen.Where(r => r.Policy == ForumPrefs.Pairing.Policies.CommonWindowPolicy.PolicyName)
            .SelectMany(window => runs.Where(x => x.Forum == window.Forum && x.Policy != window.Policy).Select(other => PairComparison.Of(store, other, window)))
            .ToList();
    }
}
