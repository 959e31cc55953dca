namespace ForumPrefs.Sources.RedditApi;

/// <summary>A Reddit API problem a user can act on (bad credentials, a missing post); one line, no secrets.</summary>
public sealed class RedditApiException(string message, int? status = null) : SourceException(message)
{
    public int? Status { get; } = status;
}

/// <summary>A response worth retrying: 5xx, or a body that was cut short.</summary>
internal sealed class TransientRedditException(string message) : Exception(message);

/// <summary>429: the rate limiter has been told to wait for the reset; retry without extra back-off.</summary>
internal sealed class RateLimitedException() : Exception("rate limited (429)");
