using ForumPrefs.Sources.Discourse;

namespace ForumPrefs.Cli;

/// <summary>How <c>crawl discourse</c> and <c>run --discourse</c> reach a site: validated options, the API key from the environment.</summary>
internal static class DiscourseSites
{
    public const string DefaultUserAgent = "forumprefs/0.1 (preference-data research crawler)";

    public static DiscourseOptions Options(string site, double interval = 1, double timeout = 30, string userAgent = DefaultUserAgent,
        bool ignoreRobots = false, double maxResponseMb = CommonOptions.DefaultMaxResponseMb)
    {
        if (!Uri.TryCreate(site.TrimEnd('/') + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new UsageException($"--site must be an http(s) URL, not '{site}'");
        if (interval < 0 || timeout <= 0)
            throw new UsageException("--interval must be 0 or more and --timeout more than 0");
        var key = Environment.GetEnvironmentVariable("DISCOURSE_API_KEY");
        var user = Environment.GetEnvironmentVariable("DISCOURSE_API_USERNAME");
        if (!string.IsNullOrEmpty(key) && string.IsNullOrEmpty(user))
            throw new UsageException("DISCOURSE_API_KEY is set without DISCOURSE_API_USERNAME (Discourse needs both)");
        return new DiscourseOptions
        {
            Site = url, UserAgent = userAgent, Interval = TimeSpan.FromSeconds(interval), RequestTimeout = TimeSpan.FromSeconds(timeout),
            ApiKey = string.IsNullOrEmpty(key) ? null : (key, user!), IgnoreRobots = ignoreRobots,
            MaxResponseBytes = CommonOptions.Bytes(maxResponseMb),
        };
    }
}
