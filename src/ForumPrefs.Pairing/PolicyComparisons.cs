using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;

namespace ForumPrefs.Pairing;

/// <summary>Each common-window run next to the other runs of its forum: which pairs it adds, and where they agree.</summary>
public static class PolicyComparisons
{
    public static IReadOnlyList<PairComparison> ForWindowRuns(ForumStore store, IEnumerable<PairRun> chosen)
    {
        var runs = PairRunWriter.List(store);
        return chosen.Where(r => r.Policy == CommonWindowPolicy.PolicyName)
            .SelectMany(window => runs.Where(x => x.Forum == window.Forum && x.Policy != window.Policy).Select(other => PairComparison.Of(store, other, window)))
            .ToList();
    }
}
