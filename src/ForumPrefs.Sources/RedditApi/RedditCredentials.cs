namespace ForumPrefs.Sources.RedditApi;

/// <summary>
/// Reddit app credentials, only ever read from the environment. ToString never shows the secret or the password,
/// so a credentials object that ends up in a log or an exception message leaks nothing.
/// </summary>
public sealed class RedditCredentials(string clientId, string clientSecret, string? username = null, string? password = null)
{
    public string ClientId { get; } = clientId;
    internal string ClientSecret { get; } = clientSecret;
    public string? Username { get; } = username;
    internal string? Password { get; } = password;

    /// <summary>A script app logs in as its user (password grant); otherwise the app-only grant is used.</summary>
    public bool IsScriptApp => Username is not null && Password is not null;

    /// <summary>REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET, plus REDDIT_USERNAME / REDDIT_PASSWORD for script apps.</summary>
    public static RedditCredentials FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var id = read("REDDIT_CLIENT_ID");
        var secret = read("REDDIT_CLIENT_SECRET");
        if (string.IsNullOrEmpty(id) || secret is null)
            throw new RedditApiException("set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET (see the README: registering a Reddit app)");
        var user = read("REDDIT_USERNAME");
        var password = read("REDDIT_PASSWORD");
        return new RedditCredentials(id, secret, string.IsNullOrEmpty(user) ? null : user, string.IsNullOrEmpty(password) ? null : password);
    }

    public override string ToString() => $"Reddit app {ClientId} ({(IsScriptApp ? $"script app as /u/{Username}" : "app-only")}, secret hidden)";
}
