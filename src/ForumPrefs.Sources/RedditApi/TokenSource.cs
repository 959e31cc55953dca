using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>
/// OAuth tokens from Reddit's access_token endpoint (password grant for script apps, client_credentials otherwise),
/// renewed five minutes before they expire. The token lives in memory only. Credentials go to the configured endpoint
/// and nowhere else: the client that carries them follows no redirect, and a 3xx answer is an error.
/// </summary>
internal sealed class TokenSource(RedditCredentials credentials, RedditOptions options, TimeProvider time) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = options.RequestTimeout };
    private static readonly TimeSpan RenewEarly = TimeSpan.FromMinutes(5);
    private const long MaxTokenBytes = 1 << 20;
    private string? _token;
    private DateTimeOffset _expires;

    public int Issued { get; private set; }

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is not null && time.GetUtcNow() < _expires - RenewEarly)
            return _token;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.AuthBase, "api/v1/access_token"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.ClientId}:{credentials.ClientSecret}")));
        request.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent); // Reddit's form is not a valid HTTP product token
        request.Content = new FormUrlEncodedContent(credentials.IsScriptApp
            ? [new("grant_type", "password"), new("username", credentials.Username!), new("password", credentials.Password!)]
            : [new KeyValuePair<string, string>("grant_type", "client_credentials")]);
        using var response = await SendAsync(request, cancellationToken);
        if ((int)response.StatusCode is >= 300 and < 400)
            throw new RedditApiException($"the token endpoint {options.AuthBase} redirected ({(int)response.StatusCode}) to " +
                $"{(response.Headers.Location is { } to ? new Uri(request.RequestUri!, to).GetLeftPart(UriPartial.Path) : "elsewhere")}; credentials are sent only to the configured endpoint (--auth-base)");
        // A token answer is a few hundred bytes: anything past a megabyte is no token, and is not read whole.
        var body = await Http.LimitedBody.ReadAsync(response.Content, MaxTokenBytes, cancellationToken)
            ?? throw new RedditApiException("the token endpoint answered with more than 1 MB; that is no token");
        if ((int)response.StatusCode >= 500)
            throw new TransientRedditException($"token endpoint answered {(int)response.StatusCode}");
        if (!response.IsSuccessStatusCode)
            throw new RedditApiException($"Reddit refused the credentials ({(int)response.StatusCode}); check REDDIT_CLIENT_ID / REDDIT_CLIENT_SECRET", (int)response.StatusCode);
        using var json = JsonDocument.Parse(body);
        if (!json.RootElement.TryGetProperty("access_token", out var token) || token.GetString() is not { Length: > 0 } value)
            throw new RedditApiException($"Reddit gave no token: {(json.RootElement.TryGetProperty("error", out var e) ? e.ToString() : "no access_token")}");
        // A lifetime that is not a sane number is taken as Reddit's usual hour (a huge one would overflow the date).
        var lifetime = json.RootElement.TryGetProperty("expires_in", out var seconds) && seconds.ValueKind == JsonValueKind.Number
            && seconds.GetDouble() is var s and > 0 and < 366 * 86400 ? s : 3600;
        _token = value;
        _expires = time.GetUtcNow() + TimeSpan.FromSeconds(lifetime);
        Issued++;
        return value;
    }

    /// <summary>
    /// The token request, its timeout a <see cref="TimeoutException"/> like every other request's: HttpClient reports a
    /// timeout as a cancellation, which the retry policy rightly does not retry and the command reported as
    /// "interrupted" (exit 130) — a slow token endpoint ended a crawl as if the user had pressed Ctrl+C.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the token endpoint gave no answer within {options.RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>After a 401: the next call fetches a new token.</summary>
    public void Invalidate() => _token = null;

    public void Dispose() => _http.Dispose();
}
