namespace ForumPrefs.Sources.Http;

/// <summary>Why one thread, topic or page could not be had: each is a counted skip, and the crawl goes on.</summary>
public enum FetchFailure
{
    /// <summary>404 or 410: deleted, or never there.</summary>
    Gone,
    /// <summary>401, 403 or 451: private, quarantined, banned.</summary>
    Forbidden,
    /// <summary>Another 4xx the server will keep giving.</summary>
    Refused,
    /// <summary>5xx, timeouts, dropped connections or cut bodies, still there after every retry.</summary>
    ServerError,
    /// <summary>JSON nested deeper than the reader allows.</summary>
    TooDeep,
    /// <summary>A body over the size limit.</summary>
    TooBig,
    /// <summary>A redirect to another host (credentials and robots.txt stay with the first one).</summary>
    OffHost,
    /// <summary>robots.txt does not allow it (a redirect's target included).</summary>
    Disallowed,
    /// <summary>A whole answer of the wrong shape (no post in a comment page, a topic without its first post).</summary>
    Unreadable,
}

/// <summary>One unit (a post's tree, a topic, a page) that could not be fetched, and why: a counted skip, never a crash.</summary>
public sealed class FetchFailedException(FetchFailure kind, string message) : SourceException(message)
{
    public FetchFailure Kind { get; } = kind;

    /// <summary>The skip's name in reports and checkpoints.</summary>
    public string Reason => Kind switch
    {
        FetchFailure.Gone => "gone",
        FetchFailure.Forbidden => "forbidden",
        FetchFailure.Refused => "refused",
        FetchFailure.ServerError => "server error after retries",
        FetchFailure.TooDeep => "too deep",
        FetchFailure.TooBig => "too big",
        FetchFailure.OffHost => "redirected to another host",
        FetchFailure.Disallowed => "disallowed by robots.txt",
        _ => "unreadable",
    };

    /// <summary>The failure a final HTTP status means (4xx other than 429).</summary>
    public static FetchFailure ForStatus(int status) => status switch
    {
        404 or 410 => FetchFailure.Gone,
        401 or 403 or 451 => FetchFailure.Forbidden,
        _ => FetchFailure.Refused,
    };
}
