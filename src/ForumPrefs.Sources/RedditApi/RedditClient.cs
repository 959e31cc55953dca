using ForumPrefs.Sources.Http;
using Polly;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ForumPrefs.Sources.RedditApi;

/// <summary>
/// Reddit's OAuth API over HttpClient: every request is paced by the <see cref="RateLimiter"/>, retried by a Polly
/// pipeline with jittered exponential back-off on 5xx, timeouts, dropped connections and cut-off bodies, and a 401
/// renews the token once. Time (back-off and pacing) comes from the <see cref="TimeProvider"/>; the per-request
/// timeout runs on real time.
/// </summary>
public sealed class RedditClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RedditOptions _options;
    private readonly TokenSource _tokens;
    private readonly ResiliencePipeline _retry;

    public RedditClient(HttpClient http, RedditCredentials credentials, RedditOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _tokens = new TokenSource(credentials, options, time);
        Limiter = new RateLimiter(time);
        // After a 429 the limiter already waits for the reset: no back-off on top.
        _retry = RetryPipelines.JsonApi(time, options.MaxRetries, options.RetryBaseDelay, e => e is TransientRedditException or RateLimitedException,
            e => e is RateLimitedException ? TimeSpan.Zero : null, () => Retries++);
    }

    public void Dispose() => _tokens.Dispose();

    public RateLimiter Limiter { get; }
    public long Requests { get; private set; }
    public long Retries { get; private set; }
    public int TokensIssued => _tokens.Issued;

    public Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url(pathAndQuery)), cancellationToken);

    public Task<JsonDocument> PostFormAsync(string path, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken = default) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = new FormUrlEncodedContent(form) }, cancellationToken);

    private Uri Url(string pathAndQuery) => new(_options.ApiBase, pathAndQuery.TrimStart('/'));

    private async Task<JsonDocument> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var renewedAfter401 = false;
        return await _retry.ExecuteAsync(async token =>
        {
            while (true)
            {
                await Limiter.WaitAsync(token);
                using var request = build();
                request.Headers.Authorization = new AuthenticationHeaderValue("bearer", await _tokens.GetAsync(token));
                request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    Requests++;
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    Limiter.Observe(response.Headers);
                    if (response.StatusCode == HttpStatusCode.Unauthorized && !renewedAfter401)
                    {
                        // An expired or revoked token: renew once, then treat another 401 as an error.
                        renewedAfter401 = true;
                        _tokens.Invalidate();
                        continue;
                    }
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Limiter.TooManyRequests(response.Headers);
                        throw new RateLimitedException();
                    }
                    if ((int)response.StatusCode >= 500)
                        throw new TransientRedditException($"Reddit answered {(int)response.StatusCode}");
                    if (!response.IsSuccessStatusCode)
                        throw new RedditApiException($"Reddit answered {(int)response.StatusCode} {response.ReasonPhrase} for {request.RequestUri!.AbsolutePath}", (int)response.StatusCode);
                    var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                    return JsonDocument.Parse(body); // a cut-off body throws JsonException: retried
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new TimeoutException($"no answer within {_options.RequestTimeout.TotalSeconds:0} s");
                }
            }
        }, cancellationToken);
    }
}
