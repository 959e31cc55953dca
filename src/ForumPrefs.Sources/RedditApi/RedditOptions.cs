using System.Text.RegularExpressions;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>Where and how the client talks to Reddit (or to a Reddit-compatible mirror or test server).</summary>
public sealed partial record RedditOptions
{
    public Uri ApiBase { get; init; } = new("https://oauth.reddit.com");
    public Uri AuthBase { get; init; } = new("https://www.reddit.com");
    public required string UserAgent { get; init; }
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxRetries { get; init; } = 6;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Bytes one response may have (decompressed); a larger one is a counted skip ("too big").</summary>
    public long MaxResponseBytes { get; init; } = Http.CrawlerHttp.DefaultMaxBodyBytes;
    /// <summary>
    /// A bound the user may set on the requests one post's comment tree may use (the first page included); the rest
    /// is counted as unexpanded. None by default: a crawl is complete unless asked otherwise.
    /// </summary>
    public int MaxRequestsPerPost { get; init; } = int.MaxValue;
    /// <summary>"Continue this thread" links deeper than this are not followed (and are counted). None by default.</summary>
    public int MaxDepth { get; init; } = int.MaxValue;

    /// <summary>Reddit's required form: &lt;platform&gt;:&lt;app id&gt;:&lt;version&gt; (by /u/&lt;user&gt;).</summary>
    public static bool IsWellFormedUserAgent(string userAgent) => UserAgentForm().IsMatch(userAgent);

    [GeneratedRegex(@"^[^:\s]+:[^:\s]+:[^:\s]+ \(by /u/[A-Za-z0-9_-]+\)$")]
    private static partial Regex UserAgentForm();
}
