using ForumPrefs.Core;
using ForumPrefs.Ingest.Seam;

namespace ForumPrefs.Ingest.RedditApi;

/// <summary>Reddit through its API (<c>crawl reddit</c>, its own verb): threads under SHP's own policy.</summary>
public sealed class RedditApiSource : IForumSource
{
    public string Name => "reddit";
    public string Description => "Reddit through its API (crawl reddit; credentials from REDDIT_* variables)";
    public IReadOnlyDictionary<string, string> DefaultPolicies { get; } = new Dictionary<string, string> { [SourceNames.Reddit] = "shp" };
}
