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
/// as its Retry-After says.
/// </summary>
public sealed class DiscourseClient
{
    private sealed class Transient(string message, TimeSpan? retryAfter = null) : Exception(message)
    {
        public TimeSpan? RetryAfter { get; } = retryAfter;
    }

    private readonly HttpClient _http;
    private readonly DiscourseOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private DateTimeOffset? _last; // when the previous request was sent
    private RobotsRules? _robots; // once read (allow-all where there is none, or when told to ignore it)

    public DiscourseClient(HttpClient http, DiscourseOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
        _retry = RetryPipelines.JsonApi(time, options.MaxRetries, options.RetryBaseDelay, e => e is Transient,
            e => e is Transient { RetryAfter: { } wait } ? wait : null, () => Retries++);
    }

    public long Requests { get; private set; }
    public long Retries { get; private set; }
    public string Host => _options.Site.Host;
    public Uri Site => _options.Site;

    public async Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        var url = new Uri(_options.Site, pathAndQuery.TrimStart('/'));
        if (!(await RobotsAsync(cancellationToken)).Allows(url))
            throw new DiscourseException($"{Host}'s robots.txt does not allow {url.AbsolutePath} to this crawler (--ignore-robots reads it anyway)");
        return await _retry.ExecuteAsync(token => new ValueTask<JsonDocument>(AttemptAsync(url, withApiKey: true, async (response, read) =>
        {
            if (!response.IsSuccessStatusCode)
                throw new DiscourseException($"{Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for {url.AbsolutePath}",
                    (int)response.StatusCode);
            var body = await response.Content.ReadAsByteArrayAsync(read);
            return JsonDocument.Parse(body); // a cut-off body throws JsonException: retried
        }, token)), cancellationToken);
    }

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
        return _robots = text is null ? RobotsRules.AllowAll : RobotsRules.Parse(text, _options.UserAgent);
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
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        if (withApiKey)
        {
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            if (_options.ApiKey is { } key)
            {
                request.Headers.TryAddWithoutValidation("Api-Key", key.Key);
                request.Headers.TryAddWithoutValidation("Api-Username", key.Username);
            }
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            Requests++;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
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

    /// <summary>A server asking for longer is asked again after this (a run can always be resumed later).</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(15);

    /// <summary>Retry-After as seconds or as a date; a missing or odd one leaves the back-off to the pipeline.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < MaxRetryAfter ? delta : MaxRetryAfter,
        { Date: { } date } => date - _time.GetUtcNow() is var left && left > TimeSpan.Zero ? (left < MaxRetryAfter ? left : MaxRetryAfter) : TimeSpan.Zero,
        _ => null,
    };
}
