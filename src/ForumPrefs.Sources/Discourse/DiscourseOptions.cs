namespace ForumPrefs.Sources.Discourse;

/// <summary>How to reach one Discourse site politely.</summary>
public sealed record DiscourseOptions
{
    public required Uri Site { get; init; }
    public required string UserAgent { get; init; }
    /// <summary>Least time between two requests to the site.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxRetries { get; init; } = 6;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>An API key and its user (from DISCOURSE_API_KEY / DISCOURSE_API_USERNAME): sent as headers, never logged.</summary>
    public (string Key, string Username)? ApiKey { get; init; }
}
