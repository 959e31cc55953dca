namespace ForumPrefs.Ingest.Seam;

/// <summary>
/// A kind of forum ForumPrefs reads. What it stores is filed under <see cref="DefaultPolicies"/>' keys (the
/// <c>Forum.Source</c> of its forums), and <c>--policy auto</c> gives each the policy named there. Sources are found
/// by <see cref="ForumSources"/>; one that reads inputs given on the command line is an <see cref="IIngestSource"/>.
/// </summary>
public interface IForumSource
{
    string Name { get; }
    string Description { get; }
    /// <summary>Each <c>Forum.Source</c> this source stores, and the pairing policy it gets by default.</summary>
    IReadOnlyDictionary<string, string> DefaultPolicies { get; }
}
