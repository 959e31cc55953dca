namespace ForumPrefs.Sources.Discourse;

/// <summary>A Discourse answer the crawl cannot use (a 4xx other than 429, a body that is not the JSON asked for).</summary>
public sealed class DiscourseException(string message, int? status = null) : SourceException(message)
{
    public int? Status { get; } = status;
}
