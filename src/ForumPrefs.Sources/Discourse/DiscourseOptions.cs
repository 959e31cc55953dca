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
    /// <summary>Bytes one response may have (decompressed); a larger one is a counted skip ("too big").</summary>
    public long MaxResponseBytes { get; init; } = Http.CrawlerHttp.DefaultMaxBodyBytes;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Read paths the site's robots.txt does not allow, and ignore its Crawl-delay (for a site you run).</summary>
    public bool IgnoreRobots { get; init; }
    /// <summary>An API key and its user (from DISCOURSE_API_KEY / DISCOURSE_API_USERNAME): sent as headers, never logged.</summary>
    public (string Key, string Username)? ApiKey { get; init; }
}
