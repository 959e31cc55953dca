using ForumPrefs.Datasets;
using ForumPrefs.Pairing.Policies;
using ForumPrefs.Store;

namespace ForumPrefs.Export;

/// <summary>Which stored pair runs an export takes.</summary>
public static class RunChoice
{
    /// <summary>One run per forum: the asked-for policy, or by source when auto (each source's declared policy, else shp).</summary>
    public static IReadOnlyList<PairRun> For(IReadOnlyList<PairRun> runs, string policy, string? forum, IReadOnlyDictionary<string, string> sourceDefaults)
    {
        if (runs.Count == 0)
            throw new StoreException("the store has no pairs yet: run 'forumprefs pairs' first");
        var chosen = runs
            .Where(r => forum is null || r.Forum.Name == forum.ToLowerInvariant() || r.Forum.ToString() == forum.ToLowerInvariant())
            .GroupBy(r => r.Forum)
            .Select(g => g.FirstOrDefault(r => r.Policy == PolicyChoice.For(policy, r.Forum.Source, sourceDefaults)) ?? (policy == PolicyChoice.Auto ? g.First() : null))
            .OfType<PairRun>()
            .ToList();
        return chosen.Count > 0
            ? chosen
            : throw new ExportTargetException($"no pairs for {(forum is null ? "" : $"forum '{forum}' and ")}policy '{policy}' (built: {string.Join(", ", runs.Select(r => $"{r.Forum} ({r.Policy})"))})");
    }
}
