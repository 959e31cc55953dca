using ForumPrefs.Sources.Http;
using Polly;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>
/// Reddit's OAuth API over HttpClient: every request is paced by the <see cref="RateLimiter"/>, retried by a Polly
/// pipeline with jittered exponential back-off on 5xx, timeouts, dropped connections and cut-off bodies, and a 401
/// renews the token once. Requests go through <see cref="CrawlerHttp"/>: redirects stay on the API's host and the token
/// never leaves it, bodies are bounded. What still fails after the retries (or a 4xx) is a
/// <see cref="FetchFailedException"/>: the crawl counts it and goes on. Time (back-off and pacing) comes from the
/// <see cref="TimeProvider"/>; the per-request timeout runs on real time.
/// </summary>
public sealed class RedditClient : IDisposable
{
    private readonly CrawlerHttp _http;
    private readonly RedditOptions _options;
    private readonly TokenSource _tokens;
    private readonly ResiliencePipeline _retry;

    public RedditClient(HttpClient http, RedditCredentials credentials, RedditOptions options, TimeProvider time)
    {
        _http = new CrawlerHttp(http) { MaxBodyBytes = options.MaxResponseBytes };
        _options = options;
        _tokens = new TokenSource(credentials, options, time);
        Limiter = new RateLimiter(time) { Notice = message => Notice?.Invoke(message) };
        // After a 429 the limiter already waits for the reset: no back-off on top.
        _retry = RetryPipelines.JsonApi(time, options.MaxRetries, options.RetryBaseDelay, e => e is TransientRedditException or RateLimitedException,
            e => e is RateLimitedException ? TimeSpan.Zero : null, () => Retries++);
    }

    /// <summary>Where long waits are announced ("waiting 15 min as Reddit asks; …").</summary>
    public Action<string>? Notice { get; set; }

    public void Dispose() => _tokens.Dispose();

    public RateLimiter Limiter { get; }
    public long Requests { get; private set; }
    public long Retries { get; private set; }
    public int TokensIssued => _tokens.Issued;

    public Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default) =>
        SendAsync(Url(pathAndQuery), (url, method) => new HttpRequestMessage(method ?? HttpMethod.Get, url), cancellationToken);

    public Task<JsonDocument> PostFormAsync(string path, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken = default) =>
        SendAsync(Url(path), (url, method) => method is null || method == HttpMethod.Post
            ? new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) }
            : new HttpRequestMessage(method, url), cancellationToken);

    private Uri Url(string pathAndQuery) => new(_options.ApiBase, pathAndQuery.TrimStart('/'));

    private async Task<JsonDocument> SendAsync(Uri url, Func<Uri, HttpMethod?, HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        try
        {
            return await AttemptsAsync(url, build, cancellationToken);
        }
        catch (Exception ex) when (ex is TransientRedditException or RateLimitedException or TimeoutException or HttpRequestException
            or JsonException or IOException)
        {
            throw new FetchFailedException(FetchFailure.ServerError, $"{url.AbsolutePath}: {ex.Message} (after {_options.MaxRetries} retries)");
        }
    }

    private async Task<JsonDocument> AttemptsAsync(Uri url, Func<Uri, HttpMethod?, HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var renewedAfter401 = false;
        return await _retry.ExecuteAsync(async token =>
        {
            while (true)
            {
                await Limiter.WaitAsync(token);
                var bearer = new AuthenticationHeaderValue("bearer", await _tokens.GetAsync(token));
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    Requests++;
                    // The token goes only to the API's own host; User-Agent to every hop.
                    using var response = await _http.SendAsync(url, (u, m) =>
                    {
                        var request = build(u, m);
                        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
                        return request;
                    }, request => request.Headers.Authorization = bearer, allowed: null, timeout.Token);
                    Limiter.Observe(response.Headers);
                    if (response.StatusCode == HttpStatusCode.Unauthorized && !renewedAfter401)
                    {
                        // An expired or revoked token: renew once, then treat another 401 as an error.
                        renewedAfter401 = true;
                        _tokens.Invalidate();
                        continue;
                    }
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                        throw new RedditApiException("Reddit refused a fresh token too (401): check REDDIT_CLIENT_ID / REDDIT_CLIENT_SECRET", 401);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Limiter.TooManyRequests(response.Headers);
                        throw new RateLimitedException();
                    }
                    if ((int)response.StatusCode >= 500)
                        throw new TransientRedditException($"Reddit answered {(int)response.StatusCode}");
                    if (!response.IsSuccessStatusCode)
                        throw new FetchFailedException(FetchFailedException.ForStatus((int)response.StatusCode),
                            $"Reddit answered {(int)response.StatusCode} {response.ReasonPhrase} for {url.AbsolutePath}");
                    var body = await _http.ReadBytesAsync(response, timeout.Token);
                    return CrawlerHttp.ParseJson(body, url.AbsolutePath); // a cut-off body throws JsonException: retried
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new TimeoutException($"no answer within {_options.RequestTimeout.TotalSeconds:0} s");
                }
            }
        }, cancellationToken);
    }
}
