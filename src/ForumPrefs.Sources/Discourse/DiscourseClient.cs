using ForumPrefs.Sources.Html;
using ForumPrefs.Sources.Http;
using Polly;
using System.Net;
using System.Text.Json;

namespace ForumPrefs.Sources.Discourse;

/// <summary>
/// Discourse's public JSON API over HttpClient: only where the site's robots.txt allows, one request at a time, paced by
/// <see cref="DiscourseOptions.Interval"/> (or robots.txt's Crawl-delay, when longer), retried by a Polly pipeline with
/// jittered exponential back-off on 5xx, timeouts, dropped connections and cut-off bodies, and after a 429 for as long
/// as its Retry-After says (at most <see cref="ServerWaits.Max"/>, announced). Requests go through
/// <see cref="CrawlerHttp"/>: redirects stay on the site, are checked against robots.txt, and the API key never leaves
/// the site. What cannot be had (a 4xx, or a failure left after the retries) is a <see cref="FetchFailedException"/>.
/// </summary>
public sealed class DiscourseClient
{
    private sealed class Transient(string message, TimeSpan? retryAfter = null) : Exception(message)
    {
        public TimeSpan? RetryAfter { get; } = retryAfter;
    }

    private readonly CrawlerHttp _http;
    private readonly DiscourseOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private DateTimeOffset? _last; // when the previous request was sent
    private RobotsRules? _robots; // once read (allow-all where there is none, or when told to ignore it)

    public DiscourseClient(HttpClient http, DiscourseOptions options, TimeProvider time)
    {
        _http = new CrawlerHttp(http) { MaxBodyBytes = options.MaxResponseBytes };
        _options = options;
        _time = time;
        _retry = RetryPipelines.JsonApi(time, options.MaxRetries, options.RetryBaseDelay, e => e is Transient,
            e => e is Transient { RetryAfter: { } wait } ? Announce(wait) : null, () => Retries++);
    }

    /// <summary>Where long waits are announced.</summary>
    public Action<string>? Notice { get; set; }

    private TimeSpan Announce(TimeSpan wait)
    {
        if (wait >= ServerWaits.Announced)
            Notice?.Invoke(ServerWaits.Notice(wait, Host));
        return wait;
    }

    public long Requests { get; private set; }
    public long Retries { get; private set; }
    public string Host => _options.Site.Host;
    public Uri Site => _options.Site;

    public async Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        var url = new Uri(_options.Site, pathAndQuery.TrimStart('/'));
        if (!await AllowedAsync(url, cancellationToken))
            throw new FetchFailedException(FetchFailure.Disallowed,
                $"{Host}'s robots.txt does not allow {url.AbsolutePath} to this crawler (--ignore-robots reads it anyway)");
        try
        {
            return await _retry.ExecuteAsync(token => new ValueTask<JsonDocument>(AttemptAsync(url, withApiKey: true, async (response, read) =>
            {
                if (!response.IsSuccessStatusCode)
                    throw new FetchFailedException(FetchFailedException.ForStatus((int)response.StatusCode),
                        $"{Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for {url.AbsolutePath}");
                return CrawlerHttp.ParseJson(await _http.ReadBytesAsync(response, read), url.AbsolutePath); // cut off: JsonException, retried
            }, token)), cancellationToken);
        }
        catch (Exception ex) when (ex is Transient or TimeoutException or HttpRequestException or JsonException or IOException)
        {
            throw new FetchFailedException(FetchFailure.ServerError, $"{url.AbsolutePath}: {ex.Message} (after {_options.MaxRetries} retries)");
        }
    }

    private async Task<bool> AllowedAsync(Uri url, CancellationToken cancellationToken) => (await RobotsAsync(cancellationToken)).Allows(url);

    /// <summary>
    /// robots.txt at the site's root, read once before the first request as the HTML crawler reads it (RFC 9309):
    /// none (4xx) allows everything; its Crawl-delay, when longer, becomes the interval.
    /// </summary>
    private async Task<RobotsRules> RobotsAsync(CancellationToken cancellationToken)
    {
        if (_robots is { } known)
            return known;
        if (_options.IgnoreRobots)
            return _robots = RobotsRules.AllowAll;
        var url = new Uri(_options.Site, "/robots.txt");
        var text = await _retry.ExecuteAsync(token => new ValueTask<string?>(AttemptAsync(url, withApiKey: false, (response, read) =>
            response.IsSuccessStatusCode ? LimitedBody.ReadAsync(response.Content, RobotsRules.MaxBytes, read, truncate: true) : Task.FromResult<string?>(null),
            token)), cancellationToken);
        _robots = text is null ? RobotsRules.AllowAll : RobotsRules.Parse(text, _options.UserAgent);
        if (ServerWaits.CrawlDelayNotice(Host, _robots.CrawlDelay, _options.Interval) is { } notice)
            Notice?.Invoke(notice);
        return _robots;
    }

    /// <summary>
    /// One request, paced, with its own timeout: 429 and 5xx become <see cref="Transient"/> for the retry pipeline, any
    /// other answer goes to <paramref name="read"/>.
    /// </summary>
    private async Task<T> AttemptAsync<T>(Uri url, bool withApiKey, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken token)
    {
        // Spaced from the previous request by the interval known now (robots.txt may have just brought a Crawl-delay).
        var interval = _robots?.CrawlDelay is { } delay && delay > _options.Interval ? delay : _options.Interval;
        var wait = _last + interval - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait.Value, _time, token);
        _last = _time.GetUtcNow();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            Requests++;
            // The API key goes to the site's own host only; every redirect is checked against robots.txt.
            using var response = await _http.SendAsync(url, (u, method) =>
            {
                var request = new HttpRequestMessage(method ?? HttpMethod.Get, u);
                request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
                if (withApiKey)
                    request.Headers.TryAddWithoutValidation("Accept", "application/json");
                return request;
            }, withApiKey && _options.ApiKey is { } key ? request =>
            {
                request.Headers.TryAddWithoutValidation("Api-Key", key.Key);
                request.Headers.TryAddWithoutValidation("Api-Username", key.Username);
            } : null, withApiKey ? AllowedAsync : null, timeout.Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                throw new Transient("429 Too Many Requests", RetryAfter(response));
            if ((int)response.StatusCode >= 500)
                throw new Transient($"{Host} answered {(int)response.StatusCode}");
            return await read(response, timeout.Token);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer from {Host} within {_options.RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Retry-After as seconds or as a date, bounded; a missing or odd one leaves the back-off to the pipeline.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) => ServerWaits.RetryAfter(response.Headers, _time.GetUtcNow());
}
