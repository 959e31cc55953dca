using System.Reflection;

namespace ForumPrefs.Ingest.Seam;

/// <summary>
/// The sources there are, found rather than listed: every concrete <see cref="IForumSource"/> with a public
/// parameterless constructor in this assembly, and in any assembly given (a plug-in, or a test's toy source).
/// </summary>
public sealed class ForumSources
{
    public ForumSources(IEnumerable<IForumSource>? extra = null)
    {
        var found = typeof(ForumSources).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IForumSource).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IForumSource)Activator.CreateInstance(t)!);
        All = found.Concat(extra ?? []).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var duplicate = All.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"two sources are named '{duplicate.Key}'");
    }

    public static ForumSources Default { get; } = new();

    public IReadOnlyList<IForumSource> All { get; }
    public IEnumerable<IIngestSource> Ingests => All.OfType<IIngestSource>();

    /// <summary>The policy <c>--policy auto</c> gives forums stored under <paramref name="forumSource"/>; null when no source says.</summary>
    public string? DefaultPolicy(string forumSource) =>
        All.Select(s => s.DefaultPolicies.GetValueOrDefault(forumSource)).FirstOrDefault(p => p is not null);

    public IReadOnlyDictionary<string, string> DefaultPolicies() =>
        All.SelectMany(s => s.DefaultPolicies).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
}
