using ForumPrefs.Sources.Http;
using Polly;
using System.Net;
using System.Text.Json;

namespace ForumPrefs.Sources.Discourse;

/// <summary>
/// Discourse's public JSON API over HttpClient: one request at a time, paced by <see cref="DiscourseOptions.Interval"/>,
/// retried by a Polly pipeline with jittered exponential back-off on 5xx, timeouts, dropped connections and cut-off
/// bodies, and after a 429 for as long as its Retry-After says.
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
    private DateTimeOffset _next = DateTimeOffset.MinValue;

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

    public Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default) =>
        _retry.ExecuteAsync(async token =>
        {
            var wait = _next - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _time, token);
            _next = _time.GetUtcNow() + _options.Interval;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.Site, pathAndQuery.TrimStart('/')));
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            request.Headers.TryAddWithoutValidation("Accept", "application/json");
            if (_options.ApiKey is { } key)
            {
                request.Headers.TryAddWithoutValidation("Api-Key", key.Key);
                request.Headers.TryAddWithoutValidation("Api-Username", key.Username);
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
                if (!response.IsSuccessStatusCode)
                    throw new DiscourseException($"{Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for {request.RequestUri!.AbsolutePath}",
                        (int)response.StatusCode);
                var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                return JsonDocument.Parse(body); // a cut-off body throws JsonException: retried
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer from {Host} within {_options.RequestTimeout.TotalSeconds:0} s");
            }
        }, cancellationToken).AsTask();

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
